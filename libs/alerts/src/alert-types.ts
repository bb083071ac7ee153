/**
 * What an alert says happened (docs/api.md, "Alert types"): the first alert a subscription receives about
 * an incident, then the updates that go to whoever received it.
 */
export const ALERT_TYPES = [
  'incident.recorded',
  'incident.corroborated',
  'incident.disputed',
  'incident.confirmed',
  'incident.retracted',
] as const;

export type AlertType = (typeof ALERT_TYPES)[number];

/** The alerts that follow `incident.recorded`, to those who received it. */
export type UpdateAlertType = Exclude<AlertType, 'incident.recorded'>;
