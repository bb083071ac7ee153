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
import type { Unmerge } from './unmerges';

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

/** Where an open conflict on a field waits since: the event that flagged it first since it was last settled. */
export interface ConflictSince {
  position: number;
  at: string;
}

/** An incident as its stream folds it, with what the read models keep beside the domain's state. */
export type FoldedIncident = IncidentState & {
  /** The log position of its recording event. */
  position: number;
  /** Each open conflict's field, with where it waits since (the review list's order). */
  conflictsSince: Record<string, ConflictSince>;
  /** The source the confirmation named (`IncidentConfirmed.source`), null when it named none or none came. */
  confirmedBy: unknown;
  /** The reason of its retraction, null while it stands. */
  retractionReason: string | null;
};

/**
 * Each incident folded from its stream as the log holds it now. A recording event of schema version 1 is
 * upcast with REPORTED_BY_SQL (its source named as the sources table names it); every event's
 * `recorded_at` dates the sources it brings. Events beyond the batch may be read: the fold of a whole
 * stream is the same whenever it is made, so the rows end as a rebuild makes them. So are the unmerges of
 * the subjects it names (withUnmerges): an incident an unmerge gave back stays given back when it is
 * folded again (a later source, a conflict), as it would have been had the merge never happened.
 */
export async function foldIncidents(tx: PoolClient, incidentIds: string[]): Promise<Map<string, FoldedIncident>> {
  const folds = new Map<string, FoldedIncident>();
  if (!incidentIds.length) return folds;
  const { rows } = await tx.query<{
    stream_id: string;
    type: string;
    schema_version: number;
    data: unknown;
    at: string;
    position: string;
  }>(
    `SELECT e.stream_id, e.type, e.schema_version,
            CASE WHEN e.type = ANY($2::text[]) AND NOT e.data ? 'reportedBy'
                 THEN e.data || jsonb_strip_nulls(jsonb_build_object('reportedBy', ${REPORTED_BY_SQL}))
                 ELSE e.data END AS data,
            to_jsonb(e.recorded_at) #>> '{}' AS at, e.position
       FROM events e WHERE e.stream_id = ANY($1::text[]) ORDER BY e.stream_id, e.version`,
    [incidentIds.map(incidentStreamId), RECORDED_TYPES],
  );
  for (const row of rows) {
    const id = row.stream_id.slice(STREAM_ID_PREFIXES.incident.length);
    const before = folds.get(id);
    const incidentEvent = { type: row.type, schemaVersion: row.schema_version, data: row.data } as IncidentEvent;
    const state = evolveIncidentAt(before ?? initialIncidentState, incidentEvent, row.at);
    const since = { position: Number(row.position), at: row.at };
    const data = row.data as { source?: unknown; reason?: string };
    folds.set(id, {
      ...state,
      position: before?.position ?? since.position,
      conflictsSince: Object.fromEntries(
        state.conflicts.map(({ field }) => [field, before?.conflictsSince[field] ?? since]),
      ),
      // A confirmation names its source when it confirms a recorded incident (a second one appends nothing).
      confirmedBy:
        row.type === 'IncidentConfirmed' && before?.status === 'recorded'
          ? (data.source ?? null)
          : (before?.confirmedBy ?? null),
      retractionReason: row.type === 'IncidentRetracted' ? (data.reason ?? null) : (before?.retractionReason ?? null),
    });
  }
  return withUnmerges(tx, folds);
}

/**
 * $1: subject streams; $2: STREAM_ID_PREFIXES as JSON. The unmerges that released someone from those subjects,
 * in log order: each subject's `SubjectReleased`, and the unmerge it names, found by the index of unmerges
 * (IndexUnmergeEvents migration), so that a subject never released, nearly every one, costs a probe of a small
 * index and reads no event.
 */
export const UNMERGES_OF_SUBJECTS_SQL = `SELECT DISTINCT u.position, u.data
       FROM events r
       JOIN events u ON u.stream_id = ($2::jsonb ->> (r.data->>'subject')) || (r.data->>'released')
                    AND u.type = 'SubjectUnmerged' AND u.data->>'from' = r.data->>'id'
      WHERE r.stream_id = ANY($1::text[]) AND r.type = 'SubjectReleased'
      ORDER BY u.position`;

/**
 * The folds with each entry an unmerge gave back attributed as the unmerge did (`reattributes`, below):
 * the unmerges are read from the streams of the survivors the folds name (their SubjectReleased), so a fold
 * made before its projection reached the unmerge ends as the unmerge will leave it.
 */
async function withUnmerges(tx: PoolClient, folds: Map<string, FoldedIncident>): Promise<Map<string, FoldedIncident>> {
  const streams = new Set<string>();
  for (const fold of folds.values()) {
    for (const p of fold.persons) streams.add(STREAM_ID_PREFIXES.person + p.personId);
    for (const o of fold.organizations) streams.add(STREAM_ID_PREFIXES.organization + o.organizationId);
  }
  if (!streams.size) return folds;
  const { rows } = await tx.query<{ position: string; data: Omit<Unmerge, 'position'> }>(UNMERGES_OF_SUBJECTS_SQL, [
    [...streams],
    JSON.stringify(STREAM_ID_PREFIXES),
  ]);
  if (!rows.length) return folds;
  const unmerges: Unmerge[] = rows.map(({ position, data }) => ({ ...data, position: Number(position) }));
  for (const [id, fold] of folds) {
    let { persons, organizations } = fold;
    for (const unmerge of unmerges) {
      if (!reattributes(unmerge, fold.position)) continue;
      const given = (id: string, key: string) => id === unmerge.from && unmerge.keys.includes(key);
      if (unmerge.subject === 'person') {
        persons = persons.map((p) => (given(p.personId, p.key) ? { ...p, personId: unmerge.id } : p));
      } else {
        organizations = organizations.map((o) =>
          given(o.organizationId, o.key) ? { ...o, organizationId: unmerge.id } : o,
        );
      }
    }
    folds.set(id, { ...fold, persons, organizations });
  }
  return folds;
}

/** Whether an unmerge gives back entries of the incident recorded at `position`: one recorded while the merge stood. */
export const reattributes = (unmerge: Unmerge, position: number): boolean =>
  unmerge.mergedAt < position && position < unmerge.position;
