import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { STREAM_ID_PREFIXES, subjectStreamId, type Subject } from '@vigil/domain';
import type { AppendResult, IdempotencyKey } from '@vigil/event-store';
import { PG_POOL } from '@vigil/platform';

/** What a decider needs of a stored event. */
export interface StoredEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

export interface NameSlot {
  subject: Subject;
  key: string;
}

export interface ReportLookup<Answer> {
  /** Set when a key of the report was used before: nothing else was read. */
  replayed?: AppendResult<Answer>;
  /** `slotOf(subject, key)` → the id of the subject owning that name key. */
  owners: Map<string, string>;
  /** The events of every stream asked for and of every owner found, in version order ([] if none). */
  streams: Map<string, StoredEvent[]>;
}

export const slotOf = (subject: Subject, key: string): string => `${subject}\u0000${key}`;

const SUBJECT_STREAM_PREFIXES = JSON.stringify({
  person: STREAM_ID_PREFIXES.person,
  organization: STREAM_ID_PREFIXES.organization,
});

/**
 * $1, $2: idempotency scopes and keys; $3, $4: subjects and name keys; $5: streams named by id;
 * $6: the stream id prefix of each subject ({"person": "person-", …}), so the format has one home.
 */
export const REPORT_LOOKUP_SQL = `WITH answer AS (SELECT vigil_idempotent_answer($1, $2) AS answer),
              owners AS (
                SELECT s.subject, s.key, n.subject_id
                  FROM unnest($3::text[], $4::text[]) AS s(subject, key)
                  CROSS JOIN LATERAL (SELECT subject_id FROM subject_name_keys n
                                       WHERE n.subject = s.subject AND n.key = s.key LIMIT 1) n
                 WHERE (SELECT answer FROM answer) IS NULL
              ),
              streams AS (
                SELECT id FROM unnest($5::text[]) AS id WHERE (SELECT answer FROM answer) IS NULL
                UNION SELECT ($6::jsonb ->> subject) || subject_id FROM owners
              )
       SELECT (SELECT answer FROM answer) AS answer,
              (SELECT coalesce(jsonb_agg(jsonb_build_array(subject, key, subject_id)), '[]') FROM owners) AS owners,
              (SELECT coalesce(jsonb_agg(jsonb_build_array(s.id, e.type, e.schema_version, e.data)
                                         ORDER BY s.id, e.version), '[]')
                 FROM streams s
                 CROSS JOIN LATERAL (SELECT type, schema_version, data, version FROM events e
                                      WHERE e.stream_id = s.id ORDER BY version) e) AS events`;

/**
 * Everything a report's decision reads, in one statement: the stored answer when the delivery or the
 * report was seen before (vigil_idempotent_answer), else the owners of the report's name keys and the
 * events of the streams it names by id and of those owners. The owners' stream ids are built in SQL from
 * the domain's prefixes (STREAM_ID_PREFIXES), passed as a parameter.
 * Every table is read by key through LATERAL lookups: a join the planner may turn into a sequential scan
 * (it does on a young database, and keeps that cached plan as the tables grow) reads one index entry
 * per key this way, whatever the statistics say.
 */
@Injectable()
export class ReportLookups {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async read<Answer>(
    idempotency: IdempotencyKey[],
    names: NameSlot[],
    streamIds: string[],
  ): Promise<ReportLookup<Answer>> {
    const { rows } = await this.pool.query<{
      answer: AppendResult<Answer> | null;
      owners: [Subject, string, string][];
      events: [string, string, number, unknown][];
    }>({
      name: 'intake-report-lookup',
      text: REPORT_LOOKUP_SQL,
      values: [
        idempotency.map((k) => k.scope),
        idempotency.map((k) => k.key),
        names.map((n) => n.subject),
        names.map((n) => n.key),
        streamIds,
        SUBJECT_STREAM_PREFIXES,
      ],
    });
    const { answer, owners, events } = rows[0];
    if (answer) return { replayed: answer, owners: new Map(), streams: new Map() };
    const lookup: ReportLookup<Answer> = {
      owners: new Map(owners.map(([subject, key, id]) => [slotOf(subject, key), id])),
      streams: new Map(streamIds.map((id) => [id, []])),
    };
    for (const [subject, , id] of owners) lookup.streams.set(subjectStreamId(subject, id), []);
    for (const [streamId, type, schemaVersion, data] of events) {
      lookup.streams.get(streamId)!.push({ type, schemaVersion, data });
    }
    return lookup;
  }
}
