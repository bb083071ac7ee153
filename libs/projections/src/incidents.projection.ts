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
    const confirmed = positionsOf(events, (type) => type === 'IncidentConfirmed');
    const retracted = positionsOf(events, (type) => type === 'IncidentRetracted');
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
    if (confirmed.length) {
      await tx.query(
        `UPDATE read_incidents i SET status = 'confirmed', confirmed_by = e.data->'source'
           FROM events e WHERE e.position = ANY($1::bigint[]) AND i.id = (e.data->>'incidentId')::uuid AND i.status = 'recorded'`,
        [confirmed],
      );
    }
    if (retracted.length) {
      await tx.query(
        `UPDATE read_incidents i SET status = 'retracted', retraction_reason = e.data->>'reason'
           FROM events e WHERE e.position = ANY($1::bigint[]) AND i.id = (e.data->>'incidentId')::uuid`,
        [retracted],
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

  /** Writes each incident's row again from its fold, and the subjects it names now (none once merged away). */
  private async refresh(tx: PoolClient, folds: Map<string, FoldedIncident>): Promise<void> {
    const rows = [...folds.values()].filter((s) => s.status !== 'unrecorded').map(rowOf);
    await tx.query(
      `UPDATE read_incidents i
          SET status = u.status, verification = u.verification, sources = u.sources, conflicts = u.conflicts,
              conflicts_since = u.conflicts_since, possible_duplicates = u.possible_duplicates, officially_acknowledged = u.officially_acknowledged,
              merged_into = u.merged_into, persons = u.persons, organizations = u.organizations,
              occurred_on = u.occurred_on, occurred_on_disputed = u.disputed,
              occurred_from = ${SQL.occurredFrom}, occurred_to = ${SQL.occurredTo}, precision_rank = ${SQL.precisionRank}
         FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, status text, verification text, sources jsonb, conflicts jsonb,
                conflicts_since jsonb, possible_duplicates jsonb, officially_acknowledged boolean, merged_into uuid, persons jsonb,
                organizations jsonb, occurred_on jsonb, disputed boolean, dates jsonb)
        -- The order columns come from the earliest value while the date is disputed, else from the date.
        CROSS JOIN LATERAL (SELECT jsonb_build_object('occurredOn', ${earliestOccurredOn('u.dates')}) AS data) e
        WHERE i.id = u.id`,
      [JSON.stringify(rows)],
    );
    // The subjects it names now and no others: a fold may have given an entry back to an unmerged one
    // (foldIncidents) whose recording, earlier in the same batch, listed it under the survivor.
    await tx.query(
      `DELETE FROM read_incident_subjects s USING unnest($1::uuid[]) AS m(id) WHERE s.incident_id = m.id`,
      [rows.map((row) => row.id)],
    );
    const subjects = rows
      .filter((row) => row.merged_into === null)
      .flatMap((row) => [
        ...row.persons.map((p) => [p.personId, row.id]),
        ...row.organizations.map((o) => [o.organizationId, row.id]),
      ]);
    await tx.query(
      `INSERT INTO read_incident_subjects (subject_id, incident_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
      [subjects.map(([subject]) => subject), subjects.map(([, incident]) => incident)],
    );
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
  };
}
