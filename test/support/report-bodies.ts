/**
 * An arrest of these persons on that day, cited to an unconfirmed bulletin: the report the verification specs vary
 * (the day, the names, the source that sends it) to make corroborations, conflicts and possible duplicates.
 */
export const arrestReport = (externalId: string, occurredOn: string, names: string[]) => ({
  externalId,
  type: 'arrest',
  occurredOn,
  persons: names.map((name) => ({ name })),
  source: { name: 'A bulletin', status: 'unconfirmed' },
});
