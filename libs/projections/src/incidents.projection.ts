import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';
import {
  ADMIN_SOURCE_ID,
  incidentVerification,
  isRecordedEventType,
  officiallyAcknowledged,
  SOURCE_KINDS,
} from '@vigil/domain';
import { CORROBORATION_TYPES, foldIncidents, incidentsOf, type FoldedIncident } from './incident-folds';
import { INCIDENT_TYPE_BY_EVENT_PARAM, positionsOf, RECORDED_TYPES, REPORTED_BY_SQL, SQL } from './incident-events';
import { earliestOccurredOn } from './occurred-order';
import { ID_FIELD, unmergesAt, type Unmerge } from './unmerges';

/** The source kinds that acknowledge an incident for the state (SOURCE_KINDS), as SQL receives them. */
const ACKNOWLEDGING_KINDS = Object.entries(SOURCE_KINDS)
  .filter(([, kind]) => kind.acknowledges)
  .map(([name]) => name);

/**
 * An incident's row written again from its fold ($1: rowOf's rows), and the subjects it names now and no
 * others (none once merged away). read_incident_subjects is keyed by subject, so the subject rows to change are
 * found from the row as it was (`was`, read by the same statement before its update): a subject it named and
 * no longer names is deleted by its key, one it names anew is inserted, and the others are not written at all.
 * Deleting by `incident_id` instead read the whole table at each batch, a rebuild's cost growing with the square
 * of the log (docs/scaling.md, "Measured"). A fold may give an entry back to an unmerged one (foldIncidents)
 * whose recording, earlier in the same batch, listed it under the survivor: the survivor's row goes, the
 * unmerged one's comes. Every writer of the two tables keeps them so (the recording, reattribute below).
 */
export const INCIDENT_REFRESH_SQL = `
  WITH u AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, status text, verification text, sources jsonb, conflicts jsonb,
           conflicts_since jsonb, possible_duplicates jsonb, officially_acknowledged boolean, merged_into uuid, persons jsonb,
           organizations jsonb, occurred_on jsonb, disputed boolean, dates jsonb, confirmed_by jsonb, retraction_reason text)
  ), written AS (
    UPDATE read_incidents i
       SET status = u.status, verification = u.verification, sources = u.sources, conflicts = u.conflicts,
           conflicts_since = u.conflicts_since, possible_duplicates = u.possible_duplicates, officially_acknowledged = u.officially_acknowledged,
           merged_into = u.merged_into, persons = u.persons, organizations = u.organizations,
           occurred_on = u.occurred_on, occurred_on_disputed = u.disputed,
           occurred_from = ${SQL.occurredFrom}, occurred_to = ${SQL.occurredTo}, precision_rank = ${SQL.precisionRank},
           confirmed_by = u.confirmed_by, retraction_reason = u.retraction_reason
      FROM u JOIN read_incidents was ON was.id = u.id
     -- The order columns come from the earliest value while the date is disputed, else from the date.
     CROSS JOIN LATERAL (SELECT jsonb_build_object('occurredOn', ${earliestOccurredOn('u.dates')}) AS data) e
     WHERE i.id = u.id
    RETURNING i.id, was.merged_into AS was_merged_into, was.persons AS was_persons, was.organizations AS was_organizations,
              i.merged_into, i.persons, i.organizations
  ), named AS (
    -- Each subject the row named (now = false) and names (now = true).
    SELECT w.id, n.subject_id, n.now FROM written w CROSS JOIN LATERAL (
      SELECT (p->>'personId')::uuid, false FROM jsonb_array_elements(w.was_persons) p WHERE w.was_merged_into IS NULL
      UNION ALL SELECT (o->>'organizationId')::uuid, false FROM jsonb_array_elements(w.was_organizations) o WHERE w.was_merged_into IS NULL
      UNION ALL SELECT (p->>'personId')::uuid, true FROM jsonb_array_elements(w.persons) p WHERE w.merged_into IS NULL
      UNION ALL SELECT (o->>'organizationId')::uuid, true FROM jsonb_array_elements(w.organizations) o WHERE w.merged_into IS NULL
    ) n(subject_id, now)
  ), changed AS (
    -- Named on one side only: true, to insert; false, to delete.
    SELECT id, subject_id, bool_and(now) AS now FROM named GROUP BY id, subject_id HAVING bool_and(now) OR NOT bool_or(now)
  ), gone AS (
    DELETE FROM read_incident_subjects s USING changed c WHERE NOT c.now AND s.subject_id = c.subject_id AND s.incident_id = c.id
  )
  INSERT INTO read_incident_subjects (subject_id, incident_id)
  SELECT subject_id, id FROM changed WHERE now
  ON CONFLICT DO NOTHING`;

/**
 * Incidents with their persons, organisations, sources, status (recorded, confirmed, retracted) and
 * verification. A recording event is projected in SQL alone; an incident that any later event touched
 * is written again from its whole stream, folded by the domain (incident-folds.ts). A merge of persons
 * changes nothing here (the views gather a merge group's incidents when read); an unmerge gives back the
 * incidents recorded against the survivor under the unmerged one's names (reattribute).
 */
export class IncidentsProjection implements Projection {
  readonly name = 'incidents';
  readonly handles = [
    ...RECORDED_TYPES,
    'IncidentConfirmed',
    'IncidentRetracted',
    ...CORROBORATION_TYPES,
    'SubjectUnmerged',
  ];
  readonly tables = ['read_incidents', 'read_incident_subjects'];
  readonly readsData = false;

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const recorded = positionsOf(events, isRecordedEventType);
    // Within a batch an incident is recorded before it is corrected: inserts first, then corrections.
    if (recorded.length) {
      // One statement: the batch's log rows are read (and their jsonb detoasted) once for both tables.
      // $2: the public type of each recording event, from the domain's table of incident types.
      await tx.query(
        `WITH e AS MATERIALIZED (
           SELECT position, recorded_at, type, schema_version, data FROM events WHERE position = ANY($1::bigint[])
         ), incidents AS (
           INSERT INTO read_incidents (id, type, occurred_on, occurred_from, occurred_to, precision_rank, persons, organizations,
                                       location, details, summary, source, source_id, external_id, recorded_at, position,
                                       sources, officially_acknowledged, possible_duplicates)
           SELECT (e.data->>'incidentId')::uuid, $2::jsonb ->> e.type, e.data->'occurredOn', ${SQL.occurredFrom}, ${SQL.occurredTo},
                  ${SQL.precisionRank},
                  -- As the event has them ({personId, name, key}): the admin view shapes them when read.
                  e.data->'persons', e.data->'organizations',
                  e.data->>'location', coalesce(e.data->'details', '{}'), e.data->>'summary', e.data->'source', e.data->>'sourceId',
                  e.data->>'externalId', e.recorded_at, e.position,
                  -- The one source a recording event has (none for an admin's report), as the admin view shows it.
                  CASE WHEN rb.reported_by IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object(
                    'id', rb.reported_by->'sourceId', 'name', rb.reported_by->'name', 'kind', rb.reported_by->'kind', 'url', e.data->'source'->'url',
                    'reportedAt', e.recorded_at)) END,
                  coalesce(rb.reported_by->>'kind' = ANY($3::text[]), false),
                  coalesce(e.data->'possibleDuplicates', '[]')
             FROM e CROSS JOIN LATERAL (SELECT ${REPORTED_BY_SQL} AS reported_by) rb
           ON CONFLICT (id) DO NOTHING
         )
         INSERT INTO read_incident_subjects (subject_id, incident_id)
         SELECT (p->>'personId')::uuid, (e.data->>'incidentId')::uuid FROM e, jsonb_array_elements(e.data->'persons') p
         UNION ALL
         SELECT (o->>'organizationId')::uuid, (e.data->>'incidentId')::uuid
           FROM e, jsonb_array_elements(e.data->'organizations') o
         ON CONFLICT DO NOTHING`,
        [recorded, INCIDENT_TYPE_BY_EVENT_PARAM, ACKNOWLEDGING_KINDS],
      );
    }
    const touched = await incidentsOf(
      tx,
      positionsOf(events, (type) => !isRecordedEventType(type) && type !== 'SubjectUnmerged'),
    );
    if (touched.length) await this.refresh(tx, await foldIncidents(tx, touched));
    for (const unmerge of await unmergesAt(
      tx,
      positionsOf(events, (type) => type === 'SubjectUnmerged'),
    )) {
      await this.reattribute(tx, unmerge);
    }
  }

  /**
   * Writes each incident's row again from its fold, and its subject rows (INCIDENT_REFRESH_SQL). The fold has the
   * status, the confirmation's source and the retraction's reason too: a row is updated once per batch, however
   * many of its events the batch holds.
   */
  private async refresh(tx: PoolClient, folds: Map<string, FoldedIncident>): Promise<void> {
    const rows = [...folds.values()].filter((s) => s.status !== 'unrecorded').map(rowOf);
    if (rows.length) await tx.query(INCIDENT_REFRESH_SQL, [JSON.stringify(rows)]);
  }

  /**
   * The incidents recorded while the merge stood (between it and the unmerge) whose entry for the survivor
   * carries one of the unmerged one's keys: that entry, and the incident's subject row, go to the unmerged one.
   */
  private async reattribute(tx: PoolClient, unmerge: Unmerge): Promise<void> {
    const column = unmerge.subject === 'person' ? 'persons' : 'organizations';
    const field = ID_FIELD[unmerge.subject];
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE read_incidents i
          SET ${column} = (SELECT jsonb_agg(CASE WHEN m->>'${field}' = $1::text AND m->>'key' = ANY($3::text[])
                                                 THEN jsonb_set(m, '{${field}}', to_jsonb($2::text)) ELSE m END ORDER BY n)
                             FROM jsonb_array_elements(i.${column}) WITH ORDINALITY AS x(m, n))
         FROM read_incident_subjects s
        WHERE s.subject_id = $1::uuid AND i.id = s.incident_id AND i.position > $4 AND i.position < $5
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(i.${column}) m WHERE m->>'${field}' = $1::text AND m->>'key' = ANY($3::text[]))
        RETURNING i.id`,
      [unmerge.from, unmerge.id, unmerge.keys, unmerge.mergedAt, unmerge.position],
    );
    if (!rows.length) return;
    const moved = rows.map((row) => row.id);
    await tx.query(
      `INSERT INTO read_incident_subjects (subject_id, incident_id) SELECT $1::uuid, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [unmerge.id, moved],
    );
    // The survivor keeps an incident that still names it under a name of its own.
    await tx.query(
      `DELETE FROM read_incident_subjects s USING read_incidents i
        WHERE s.subject_id = $1::uuid AND s.incident_id = ANY($2::uuid[]) AND i.id = s.incident_id
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(i.${column}) m WHERE m->>'${field}' = $1::text)`,
      [unmerge.from, moved],
    );
  }
}

/** An incident's row as its fold makes it. */
function rowOf(state: FoldedIncident) {
  const disputed = state.conflicts.find((c) => c.field === 'occurredOn');
  return {
    id: state.incidentId!,
    status: state.status,
    verification: incidentVerification(state),
    // The registered sources; what an admin entered counts as a voice, it is not a source to list.
    sources: state.sources
      .filter((s) => s.sourceId !== ADMIN_SOURCE_ID)
      .map((s) => ({
        id: s.sourceId,
        name: s.name,
        kind: s.kind,
        url: s.source.url ?? null,
        reportedAt: s.reportedAt,
      })),
    conflicts: state.conflicts.map(({ field, values }) => ({
      field,
      values: values.map(({ value, sources }) => ({ value: value.value, sources })),
    })),
    // Where each open conflict waits since: the review list's order.
    conflicts_since: state.conflictsSince,
    possible_duplicates: state.possibleDuplicates,
    officially_acknowledged: officiallyAcknowledged(state.sources),
    merged_into: state.mergedInto ?? null,
    persons: state.persons,
    organizations: state.organizations,
    occurred_on: state.occurredOn,
    disputed: disputed !== undefined,
    dates: disputed ? disputed.values.map((v) => v.value) : [state.occurredOn],
    confirmed_by: state.confirmedBy,
    retraction_reason: state.retractionReason,
  };
}
