import type { PoolClient } from 'pg';
import {
  evolveIncidentAt,
  incidentStreamId,
  initialIncidentState,
  STREAM_ID_PREFIXES,
  type IncidentEvent,
  type IncidentState,
} from '@vigil/domain';
import { RECORDED_TYPES, REPORTED_BY_SQL } from './incident-events';

/**
 * The events after which an incident is no longer what its recording event alone says (issue 13): the
 * projections rebuild such an incident's rows from its whole stream, folded by the domain's own
 * evolveIncident, so the read models and the intake's decisions read one definition of an incident.
 */
export const CORROBORATION_TYPES = [
  'SourceAdded',
  'SubjectsAdded',
  'ConflictFlagged',
  'ConflictResolved',
  'IncidentMerged',
  'IncidentAbsorbed',
] as const;

/** The incidents a batch's events are about (every incident event carries `incidentId`). */
export async function incidentsOf(tx: PoolClient, positions: number[]): Promise<string[]> {
  if (!positions.length) return [];
  const { rows } = await tx.query<{ id: string }>(
    `SELECT DISTINCT e.data->>'incidentId' AS id FROM events e WHERE e.position = ANY($1::bigint[])`,
    [positions],
  );
  return rows.map((row) => row.id);
}

/**
 * Each incident folded from its stream as the log holds it now. A recording event of schema version 1 is
 * upcast with REPORTED_BY_SQL (its source named as the sources table names it); every event's
 * `recorded_at` dates the sources it brings. Events beyond the batch may be read: the fold of a whole
 * stream is the same whenever it is made, so the rows end as a rebuild makes them.
 */
export async function foldIncidents(tx: PoolClient, incidentIds: string[]): Promise<Map<string, IncidentState>> {
  const folds = new Map<string, IncidentState>();
  if (!incidentIds.length) return folds;
  const { rows } = await tx.query<{
    stream_id: string;
    type: string;
    schema_version: number;
    data: unknown;
    at: string;
  }>(
    `SELECT e.stream_id, e.type, e.schema_version,
            CASE WHEN e.type = ANY($2::text[]) AND NOT e.data ? 'reportedBy'
                 THEN e.data || jsonb_strip_nulls(jsonb_build_object('reportedBy', ${REPORTED_BY_SQL}))
                 ELSE e.data END AS data,
            to_jsonb(e.recorded_at) #>> '{}' AS at
       FROM events e WHERE e.stream_id = ANY($1::text[]) ORDER BY e.stream_id, e.version`,
    [incidentIds.map(incidentStreamId), RECORDED_TYPES],
  );
  for (const row of rows) {
    const id = row.stream_id.slice(STREAM_ID_PREFIXES.incident.length);
    const incidentEvent = { type: row.type, schemaVersion: row.schema_version, data: row.data } as IncidentEvent;
    folds.set(id, evolveIncidentAt(folds.get(id) ?? initialIncidentState, incidentEvent, row.at));
  }
  return folds;
}
