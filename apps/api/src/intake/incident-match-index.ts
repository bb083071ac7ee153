import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  evolveIncident,
  initialIncidentState,
  matchDateWindow,
  STREAM_ID_PREFIXES,
  type IncidentEvent,
  type IncidentState,
  type IncidentTypeName,
  type PartialDate,
  type Subject,
} from '@vigil/domain';
import {
  EventStore,
  type AppendOptions,
  type AppendParameters,
  type AppendResult,
  type IdempotencyKey,
  type StreamAppend,
} from '@vigil/event-store';
import { PG_POOL, WriteBatcher } from '@vigil/platform';

/** A row of the index: an incident of `type` names this person or organisation. */
export interface MatchSubjectRow {
  incidentType: IncidentTypeName;
  subject: Subject;
  subjectId: string;
  incidentId: string;
}

/** A candidate incident as read under the lock: its state and its stream's version. */
export interface Candidate {
  state: IncidentState;
  version: number;
}

/**
 * $1: the lock keys, `type:subject:id`. One transaction lock per key (LOCK_CLASS_INCIDENT_MATCHES), taken in
 * the order of their hashes, so two reports sharing several persons wait for each other in one order and
 * cannot deadlock. The function (CreateRecordReportFunction migration) is the one home of that rule:
 * vigil_record_reports takes the same locks.
 */
export const MATCH_LOCK_SQL = `SELECT vigil_lock_incident_matches($1::text[])`;

/**
 * $1: the reports, as vigil_record_reports takes them (RecordReportsInBatches migration); $2: the incident
 * stream prefix. One answer per report, in order.
 */
export const RECORD_REPORTS_SQL = `SELECT vigil_record_reports($1::jsonb, $2) AS results`;

/** vigil_record_reports' answer for a report whose candidates moved between the read and the lock. */
const CANDIDATES_MOVED = 'VG410';

/** Whether `error` says the candidates a report was decided on moved before it was recorded. */
export const candidatesMoved = (error: unknown): boolean =>
  (error as { code?: string } | undefined)?.code === CANDIDATES_MOVED;

type MatchedOn = { subject: Subject; id: string }[];

/** What a report was matched on: its type, its persons (or organisations), its date, and what it found. */
interface Matched {
  type: IncidentTypeName;
  on: MatchedOn;
  occurredOn: PartialDate;
  candidates: Map<string, Candidate>;
}

/** A report to record: what it was matched on and decided against, its index rows and its append. */
interface ReportToRecord {
  matched: Matched;
  rows: MatchSubjectRow[];
  appends: StreamAppend[];
  options: AppendOptions<unknown>;
}

/**
 * $1, $2: idempotency scopes and keys; $3: incident type; $4, $5: subjects and their ids; $6: the incident
 * stream prefix; $7..$9: the report's date window (matchDateWindow). The stored answer when the report was seen
 * before; else every incident of the type naming one of the subjects with a date in the window
 * (vigil_match_candidates, which vigil_record_reports checks them with), with its events in version order.
 */
export const MATCH_CANDIDATES_SQL = `WITH answer AS (SELECT vigil_idempotent_answer($1, $2) AS answer),
              candidates AS (
                SELECT incident_id FROM vigil_match_candidates($3, $4::text[], $5::uuid[], $6, $7::date, $8::date, $9)
                 WHERE (SELECT answer FROM answer) IS NULL
              )
       SELECT (SELECT answer FROM answer) AS answer,
              (SELECT coalesce(jsonb_agg(jsonb_build_array(c.incident_id, e.type, e.schema_version, e.data)
                                         ORDER BY c.incident_id, e.version), '[]')
                 FROM candidates c
                 CROSS JOIN LATERAL (SELECT type, schema_version, data, version FROM events e
                                      WHERE e.stream_id = $6 || c.incident_id ORDER BY version) e) AS events`;

/** $1..$4: incident types, subjects, subject ids, incident ids. */
export const MATCH_INDEX_INSERT_SQL = `INSERT INTO incident_match_subjects (incident_type, subject, subject_id, incident_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[]) ON CONFLICT DO NOTHING`;

/**
 * What a report recorded again alone threw, passed on as it was thrown: the error classification (a database
 * away is a 503) reads the original. Wrapped in an Error of our own it was an unknown error, a 500; and
 * `instanceof Error` is no test for it, since a socket's errors may come from another realm (jest's VM).
 */
class Failed {
  constructor(readonly error: unknown) {}
}

/**
 * The one home of incident_match_subjects, the write side's index of incidents by (type, person or
 * organisation) that the matching rule reads (docs/decisions/0014-one-incident-however-many-sources.md).
 * A report is usually recorded by record(): its candidates read first without the lock, then one
 * statement (vigil_record_reports, RecordReportsInBatches migration) takes the lock, checks them, appends
 * and writes the rows (docs/decisions/0024-a-report-is-recorded-in-one-statement.md), for every report
 * that came meanwhile at once (docs/decisions/0029-reports-recorded-in-batches.md). Otherwise everything
 * runs on the client of an EventStore transaction: the lock, the read of candidates under it, and the rows
 * of what was appended, which commit with the events.
 */
@Injectable()
export class IncidentMatchIndex {
  /** Concurrent reports go in one statement and one commit: group commit, decision 0029. */
  private readonly recording = new WriteBatcher<ReportToRecord, AppendResult<unknown> | Error | Failed>((reports) =>
    this.recordEach(reports),
  );

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /**
   * The subjects a report is matched on, as the rule compares them: its persons, or its organisations
   * when it names no person. Two reports that may be one incident always share one of these keys.
   */
  static matchedOn(persons: string[], organizations: string[]): { subject: Subject; id: string }[] {
    return persons.length
      ? persons.map((id) => ({ subject: 'person' as const, id }))
      : organizations.map((id) => ({ subject: 'organization' as const, id }));
  }

  private static lockKeys(type: IncidentTypeName, subjects: MatchedOn): string[] {
    return subjects.map(({ subject, id }) => `${type}:${subject}:${id}`);
  }

  /** Takes the locks of the type and subjects, until the transaction ends. */
  async lock(client: PoolClient, type: IncidentTypeName, subjects: MatchedOn): Promise<void> {
    await client.query({
      name: 'incident-match-lock',
      text: MATCH_LOCK_SQL,
      values: [IncidentMatchIndex.lockKeys(type, subjects)],
    });
  }

  /**
   * The stored answer if a key of the report was used, else the candidate incidents, folded, with their
   * stream versions (for the append's expected versions). Under the lock (on the transaction's client), or
   * without it (on the pool) for a decision that record() checks under the lock.
   */
  async candidates<Answer>(
    client: PoolClient | undefined,
    idempotency: IdempotencyKey[],
    type: IncidentTypeName,
    subjects: { subject: Subject; id: string }[],
    occurredOn: PartialDate,
  ): Promise<{ replayed: AppendResult<Answer> } | { candidates: Map<string, Candidate> }> {
    const window = matchDateWindow(occurredOn);
    const { rows } = await (client ?? this.pool).query<{
      answer: AppendResult<Answer> | null;
      events: [string, string, number, unknown][];
    }>({
      name: 'incident-match-candidates',
      text: MATCH_CANDIDATES_SQL,
      values: [
        idempotency.map((k) => k.scope),
        idempotency.map((k) => k.key),
        type,
        subjects.map((s) => s.subject),
        subjects.map((s) => s.id),
        STREAM_ID_PREFIXES.incident,
        window.from ?? null,
        window.to ?? null,
        window.monthDay ?? null,
      ],
    });
    const { answer, events } = rows[0];
    if (answer) return { replayed: answer };
    const candidates = new Map<string, Candidate>();
    for (const [incidentId, eventType, schemaVersion, data] of events) {
      const known = candidates.get(incidentId) ?? { state: initialIncidentState, version: 0 };
      const incidentEvent = { type: eventType, schemaVersion, data } as IncidentEvent;
      candidates.set(incidentId, { state: evolveIncident(known.state, incidentEvent), version: known.version + 1 });
    }
    return { candidates };
  }

  /**
   * Records a report decided without the lock (vigil_record_reports): takes the lock, checks that the
   * candidates are still exactly those the decision read (else throws an error for which candidatesMoved is
   * true, and nothing of it is written), then appends and writes the index rows. With no appends (a
   * duplicate), answers a stored answer of the report's keys if one came meanwhile. Reports that come
   * while a batch is being written go together in the next statement, each answered apart: a conflict or
   * a replay of one is its own answer, not its batch-mates'.
   */
  async record<Answer>(
    matched: Matched,
    rows: MatchSubjectRow[],
    appends: StreamAppend[],
    options: AppendOptions<Answer>,
  ): Promise<AppendResult<Answer>> {
    const result = await this.recording.submit({ matched, rows, appends, options });
    if (result instanceof Failed) throw result.error;
    if (result instanceof Error) throw result;
    return result as AppendResult<Answer>;
  }

  private async recordEach(reports: ReportToRecord[]): Promise<(AppendResult<unknown> | Error | Failed)[]> {
    try {
      return await this.recordTogether(reports);
    } catch (error) {
      if (reports.length === 1) throw error;
      // The statement failed as a whole (not a report's own conflict, which is answered apart): it wrote
      // nothing, so each report is recorded again alone and only one at fault fails.
      return Promise.all(
        reports.map((report) =>
          this.recordTogether([report]).then(
            ([result]) => result,
            (failed: unknown) => new Failed(failed),
          ),
        ),
      );
    }
  }

  private recordTogether(reports: ReportToRecord[]): Promise<(AppendResult<unknown> | Error)[]> {
    return this.store.appendEachThrough(
      (parameters) => ({
        name: 'intake-record-reports',
        text: RECORD_REPORTS_SQL,
        values: [
          `[${reports.map((report, i) => IncidentMatchIndex.reportJson(report, parameters[i])).join(',')}]`,
          STREAM_ID_PREFIXES.incident,
        ],
      }),
      reports,
    );
  }

  /** One report as vigil_record_reports reads it; the events and answer are JSON already. */
  private static reportJson({ matched, rows }: ReportToRecord, append: AppendParameters): string {
    const [streams, expected, events, scopes, keys, answer] = append;
    const { type, on, occurredOn, candidates } = matched;
    const window = matchDateWindow(occurredOn);
    const report = JSON.stringify({
      lockKeys: IncidentMatchIndex.lockKeys(type, on),
      type,
      subjects: on.map((s) => s.subject),
      subjectIds: on.map((s) => s.id),
      dateFrom: window.from,
      dateTo: window.to,
      monthDay: window.monthDay,
      candidates: Object.fromEntries([...candidates].map(([id, { version }]) => [id, version])),
      indexTypes: rows.map((r) => r.incidentType),
      indexSubjects: rows.map((r) => r.subject),
      indexSubjectIds: rows.map((r) => r.subjectId),
      indexIncidentIds: rows.map((r) => r.incidentId),
      streams,
      expected,
      scopes,
      keys,
    });
    return `${report.slice(0, -1)},"events":${events}${answer === null ? '' : `,"answer":${answer}`}}`;
  }

  /** Indexes what an append made an incident name (a new incident, subjects added, an incident absorbed). */
  async add(client: PoolClient, rows: MatchSubjectRow[]): Promise<void> {
    if (!rows.length) return;
    await client.query({
      name: 'incident-match-index-insert',
      text: MATCH_INDEX_INSERT_SQL,
      values: [
        rows.map((r) => r.incidentType),
        rows.map((r) => r.subject),
        rows.map((r) => r.subjectId),
        rows.map((r) => r.incidentId),
      ],
    });
  }

  /** The rows of every person and organisation an incident of `type` names. */
  static rowsOf(
    incidentType: IncidentTypeName,
    incidentId: string,
    persons: { personId: string }[],
    organizations: { organizationId: string }[],
  ): MatchSubjectRow[] {
    return [
      ...persons.map((p) => ({ incidentType, subject: 'person' as const, subjectId: p.personId, incidentId })),
      ...organizations.map((o) => ({
        incidentType,
        subject: 'organization' as const,
        subjectId: o.organizationId,
        incidentId,
      })),
    ];
  }
}
