import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { STREAM_ID_PREFIXES, subjectStreamId, type Subject } from '@vigil/domain';
import type { AppendResult, IdempotencyKey } from '@vigil/event-store';
import { PG_POOL, WriteBatcher } from '@vigil/platform';

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
 * The lookups of several reports at once, each report numbered (`n`): $1, $2, $3: the reports' idempotency
 * keys (report, scope, key, in the order they are tried); $4, $5, $6: their name keys (report, subject,
 * key); $7, $8: the streams they name by id (report, stream id); $9: the stream id prefix of each subject
 * ({"person": "person-", …}), so the format has one home. A report whose key was used before gets its
 * stored answer and nothing else; the owners and streams of the others come back per report, and each
 * stream's events once, however many reports name it.
 */
export const REPORT_LOOKUP_SQL = `WITH answers AS (
                SELECT i.n, vigil_idempotent_answer(array_agg(i.scope ORDER BY i.ord), array_agg(i.key ORDER BY i.ord))
                         AS answer
                  FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS i(n, scope, key, ord)
                 GROUP BY i.n
              ),
              names AS (
                SELECT s.n, s.subject, s.key FROM unnest($4::int[], $5::text[], $6::text[]) AS s(n, subject, key)
                 WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.n = s.n AND a.answer IS NOT NULL)
              ),
              owners AS (
                SELECT s.n, s.subject, s.key, o.subject_id FROM names s
                  CROSS JOIN LATERAL (SELECT subject_id FROM subject_name_keys o
                                       WHERE o.subject = s.subject AND o.key = s.key LIMIT 1) o
              ),
              streams AS (
                SELECT b.id FROM unnest($7::int[], $8::text[]) AS b(n, id)
                 WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.n = b.n AND a.answer IS NOT NULL)
                UNION SELECT ($9::jsonb ->> subject) || subject_id FROM owners
              )
       SELECT (SELECT coalesce(jsonb_object_agg(n, answer), '{}') FROM answers WHERE answer IS NOT NULL) AS answers,
              (SELECT coalesce(jsonb_agg(jsonb_build_array(n, subject, key, subject_id)), '[]') FROM owners) AS owners,
              (SELECT coalesce(jsonb_agg(jsonb_build_array(s.id, e.type, e.schema_version, e.data)
                                         ORDER BY s.id, e.version), '[]')
                 FROM streams s
                 CROSS JOIN LATERAL (SELECT type, schema_version, data, version FROM events e
                                      WHERE e.stream_id = s.id ORDER BY version) e) AS events`;

interface LookupCall {
  idempotency: IdempotencyKey[];
  names: NameSlot[];
  streamIds: string[];
}

/**
 * Everything a report's decision reads, in one statement: the stored answer when the delivery or the
 * report was seen before (vigil_idempotent_answer), else the owners of the report's name keys and the
 * events of the streams it names by id and of those owners. The owners' stream ids are built in SQL from
 * the domain's prefixes (STREAM_ID_PREFIXES), passed as a parameter.
 * Concurrent reports share the statement (WriteBatcher, used for reads here): a burst of reports costs one
 * round trip and one plan for all their lookups, as it does for their name claims. A read is a snapshot of
 * the moment the statement starts, the same for the batch as for one report.
 * Every table is read by key through LATERAL lookups: a join the planner may turn into a sequential scan
 * (it does on a young database, and keeps that cached plan as the tables grow) reads one index entry
 * per key this way, whatever the statistics say.
 */
@Injectable()
export class ReportLookups {
  private readonly batches = new WriteBatcher<LookupCall, ReportLookup<unknown>>((calls) => this.readAll(calls));

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  read<Answer>(idempotency: IdempotencyKey[], names: NameSlot[], streamIds: string[]): Promise<ReportLookup<Answer>> {
    return this.batches.submit({ idempotency, names, streamIds }) as Promise<ReportLookup<Answer>>;
  }

  private async readAll(calls: LookupCall[]): Promise<ReportLookup<unknown>[]> {
    const numbered = <T>(of: (call: LookupCall) => T[]) =>
      calls.flatMap((call, n) => of(call).map((item) => ({ n, item })));
    const keys = numbered((call) => call.idempotency);
    const names = numbered((call) => call.names);
    const streams = numbered((call) => call.streamIds);
    const { rows } = await this.pool.query<{
      answers: Record<string, AppendResult<unknown>>;
      owners: [number, Subject, string, string][];
      events: [string, string, number, unknown][];
    }>({
      name: 'intake-report-lookup',
      text: REPORT_LOOKUP_SQL,
      values: [
        keys.map((k) => k.n),
        keys.map((k) => k.item.scope),
        keys.map((k) => k.item.key),
        names.map((s) => s.n),
        names.map((s) => s.item.subject),
        names.map((s) => s.item.key),
        streams.map((s) => s.n),
        streams.map((s) => s.item),
        SUBJECT_STREAM_PREFIXES,
      ],
    });
    const { answers, owners, events } = rows[0];
    const eventsOf = new Map<string, StoredEvent[]>();
    for (const [streamId, type, schemaVersion, data] of events) {
      const stream = eventsOf.get(streamId) ?? [];
      stream.push({ type, schemaVersion, data });
      eventsOf.set(streamId, stream);
    }
    return calls.map((call, n) => {
      const answer = answers[n];
      if (answer) return { replayed: answer, owners: new Map(), streams: new Map() };
      const lookup: ReportLookup<unknown> = {
        owners: new Map(),
        streams: new Map(call.streamIds.map((id) => [id, eventsOf.get(id) ?? []])),
      };
      for (const [of, subject, key, id] of owners) {
        if (of !== n) continue;
        lookup.owners.set(slotOf(subject, key), id);
        const streamId = subjectStreamId(subject, id);
        lookup.streams.set(streamId, eventsOf.get(streamId) ?? []);
      }
      return lookup;
    });
  }
}
