import type { PoolClient } from 'pg';

/**
 * The `alert_payloads` table: the incident as the watchers of one alert receive it, stored once per alert and
 * not copied into each of its delivery rows (docs/decisions/0032-a-payload-stored-once-per-alert.md). An alert
 * is the rows one append caused for one incident, keyed as the rows are: `(incident_id, cause_position)`
 * (docs/decisions/0016-one-alert-per-causing-append.md). Every statement on the table is here; the deliveries'
 * reads take their payload from `deliveryPayloadOf`.
 *
 * Nothing of a subscriber goes in: the document is `incidentPayloadOf` the router's facts, the same for every
 * watcher. What is a subscriber's (what it matched, the labels it watched, sealed) stays on its row, where
 * erasure finds it.
 */

/** $1 incident, $2 the causing append's position, $3 the incident as routed (JSON). A replay keeps the first. */
export const STORE_ALERT_PAYLOAD_SQL = `INSERT INTO alert_payloads (incident_id, cause_position, incident)
       VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (incident_id, cause_position) DO NOTHING`;

/**
 * Stores the incident of one alert, in the router's transaction, once that append has written delivery rows:
 * an append that alerts nobody (most of them) stores nothing.
 */
export async function storeAlertPayload(
  tx: PoolClient,
  incidentId: string,
  causePosition: number,
  incidentJson: string,
): Promise<void> {
  await tx.query({
    name: 'alert-payloads-store',
    text: STORE_ALERT_PAYLOAD_SQL,
    values: [incidentId, causePosition, incidentJson],
  });
}

/**
 * SQL: the incident of the delivery row `d`'s alert, by a probe of the primary key (a scalar subquery, so it
 * may stand in a RETURNING list as well as a SELECT).
 */
const alertIncidentOf = (d: string): string =>
  `(SELECT p.incident FROM alert_payloads p WHERE p.incident_id = ${d}.incident_id AND p.cause_position = ${d}.cause_position)`;

/**
 * SQL: the payload of the delivery row `d` as sent, `{ incident, matched, watched }`: its alert's incident with
 * the row's own keys over it. A row that still carries an incident of its own (one the migration found
 * different from its alert's, written before rows had a cause) keeps it.
 */
export const deliveryPayloadOf = (d: string): string =>
  `(jsonb_build_object('incident', ${alertIncidentOf(d)}) || ${d}.payload)`;
