import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import {
  decideReport,
  decideSubjects,
  incidentStreamId,
  isIncidentRecorded,
  type DomainEvent,
  type IncidentEvent,
  // The domain's plain-data command; RecordIncident here is the Nest command class that carries the intake.
  type RecordIncident as RecordIncidentDecision,
  type StreamEvent,
} from '@vigil/domain';
import {
  EventStore,
  type AppendResult,
  type EventMetadata,
  type IdempotencyKey,
  type StoreTransaction,
  type StreamAppend,
} from '@vigil/event-store';
import { candidatesMoved, IncidentMatchIndex, type Candidate, type MatchSubjectRow } from './incident-match-index';
import { ReportIdReusedError } from './report-id-reused.error';
import { RecordIncident, type IncidentIntake, type RecordIncidentResult } from './record-incident.command';
import { adminMetadata } from './admin-metadata';
import { retryOnStreamConflict } from './retry-on-stream-conflict';
import { SubjectResolver, type ResolvedSubjects } from './subject-resolver';

interface StoredAnswer {
  incidentId: string;
  contentHash: string;
  /** What the report did (absent in answers stored before corroboration: they recorded). */
  status?: 'recorded' | 'corroborated' | 'disputed';
}

/** What a report decided against its candidates: nothing to append, or the appends and what goes with them. */
type Decided =
  | { outcome: 'duplicate'; incidentId: string }
  | {
      outcome: 'recorded' | 'corroborated' | 'disputed';
      incidentId: string;
      appends: StreamAppend[];
      answer: StoredAnswer;
      rows: MatchSubjectRow[];
    };

/** Canonical JSON (sorted keys), so the same report hashes the same however its fields were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Records a report of any incident type: resolves its persons and organisations, reads the incidents it may
 * be (of its type, naming one of its persons, or organisations when it names none) and decides: a new
 * incident, a source added to one (maybe disputing its date), or a duplicate that appends nothing
 * (docs/decisions/0014-one-incident-however-many-sources.md). The decision counts only if it was made on
 * what is there under a lock on those (type, person) pairs: usually one statement takes the lock, checks
 * that the candidates read before are still those, and commits the events of the incident and subject
 * streams, the match index's rows and the answer under the report's idempotency keys
 * (docs/decisions/0024-a-report-is-recorded-in-one-statement.md); when they moved, the report is decided
 * again in a transaction that reads them under the lock. A concurrent report about the same person may
 * move a stream between the read and the append: the whole decision is then made again on what is there now.
 */
@CommandHandler(RecordIncident)
export class RecordIncidentHandler implements ICommandHandler<RecordIncident, RecordIncidentResult> {
  constructor(
    private readonly store: EventStore,
    private readonly subjects: SubjectResolver,
    private readonly matches: IncidentMatchIndex,
  ) {}

  async execute({ intake }: RecordIncident): Promise<RecordIncidentResult> {
    const keys = this.idempotencyKeys(intake);
    const contentHash = createHash('sha256').update(canonical(intake.report)).digest('base64url');
    const incidentId = randomUUID();
    let underLock = false;
    return retryOnStreamConflict(async () => {
      // A retry or a re-sent report is answered before any name is claimed (the resolver's lookup).
      const resolved = await this.subjects.resolve<StoredAnswer>(intake.report, keys);
      if ('replayed' in resolved) return this.replayed(intake, resolved.replayed, contentHash);
      const command = this.command(intake, incidentId, resolved);
      if (!underLock) {
        try {
          return await this.decideThenRecord(intake, command, resolved, keys, contentHash);
        } catch (error) {
          // Another report about the same person came first: decide again, this time under the lock.
          if (!candidatesMoved(error)) throw error;
          underLock = true;
        }
      }
      return this.store.transaction((tx) => this.decideAndAppend(tx, intake, command, resolved, keys, contentHash));
    });
  }

  private command(intake: IncidentIntake, incidentId: string, resolved: ResolvedSubjects): RecordIncidentDecision {
    const { report, parsed, channel } = intake;
    return {
      kind: 'RecordIncident',
      type: report.type,
      incidentId,
      externalId: report.externalId ?? (channel.kind === 'admin' ? channel.idempotencyKey : undefined),
      reportedBy: channel.kind === 'webhook' ? channel.source : undefined,
      occurredOn: parsed.occurredOn,
      persons: resolved.persons,
      organizations: resolved.organizations,
      location: report.location,
      details: parsed.details,
      summary: report.summary,
      source: { name: report.source.name, url: report.source.url, status: report.source.status },
    } as RecordIncidentDecision; // `details` were checked against the rules of `type` by parseIncidentReport
  }

  private static matchedOn(command: RecordIncidentDecision) {
    return IncidentMatchIndex.matchedOn(
      command.persons.map((p) => p.personId),
      command.organizations.map((o) => o.organizationId),
    );
  }

  /**
   * The usual way, in one statement after the reads (decision 0024): the candidates are read without the
   * lock (none when every person matched on is new: no incident names them yet), the report is decided, and
   * IncidentMatchIndex.record takes the lock, checks that the candidates are still those, appends and
   * indexes. When they moved, it throws (candidatesMoved) having written nothing.
   */
  private async decideThenRecord(
    intake: IncidentIntake,
    command: RecordIncidentDecision,
    resolved: ResolvedSubjects,
    keys: IdempotencyKey[],
    contentHash: string,
  ): Promise<RecordIncidentResult> {
    const matchedOn = RecordIncidentHandler.matchedOn(command);
    const isNew = new Set([
      ...command.persons.filter((p) => p.isNew).map((p) => p.personId),
      ...command.organizations.filter((o) => o.isNew).map((o) => o.organizationId),
    ]);
    let candidates = new Map<string, Candidate>();
    if (!matchedOn.every(({ id }) => isNew.has(id))) {
      const read = await this.matches.candidates<StoredAnswer>(
        undefined,
        keys,
        command.type,
        matchedOn,
        command.occurredOn,
      );
      if ('replayed' in read) return this.replayed(intake, read.replayed, contentHash);
      candidates = read.candidates;
    }
    const decided = this.decide(intake, command, resolved, candidates, contentHash);
    const appended = decided.outcome === 'duplicate' ? undefined : decided;
    const result = await this.matches.record<StoredAnswer>(
      { type: command.type, on: matchedOn, occurredOn: command.occurredOn, candidates },
      appended?.rows ?? [],
      appended?.appends ?? [],
      { idempotency: keys, answer: appended?.answer },
    );
    if (result.replayed) return this.replayed(intake, result, contentHash);
    if (decided.outcome === 'duplicate') return { outcome: 'duplicate', incidentId: decided.incidentId };
    return { outcome: decided.outcome, incidentId: decided.incidentId, position: result.positions[0] };
  }

  /**
   * After another report moved the candidates (decision 0014's way): in one transaction, takes the lock,
   * reads the candidates under it, decides, appends and indexes. Reports about one person queue here
   * instead of deciding again and again.
   */
  private async decideAndAppend(
    tx: StoreTransaction,
    intake: IncidentIntake,
    command: RecordIncidentDecision,
    resolved: ResolvedSubjects,
    keys: IdempotencyKey[],
    contentHash: string,
  ): Promise<RecordIncidentResult> {
    const matchedOn = RecordIncidentHandler.matchedOn(command);
    await this.matches.lock(tx.client, command.type, matchedOn);
    const read = await this.matches.candidates<StoredAnswer>(
      tx.client,
      keys,
      command.type,
      matchedOn,
      command.occurredOn,
    );
    if ('replayed' in read) return this.replayed(intake, read.replayed, contentHash);
    const decided = this.decide(intake, command, resolved, read.candidates, contentHash);
    if (decided.outcome === 'duplicate') return { outcome: 'duplicate', incidentId: decided.incidentId };
    const result = await tx.append<StoredAnswer>(decided.appends, { idempotency: keys, answer: decided.answer });
    if (result.replayed) return this.replayed(intake, result, contentHash);
    await this.matches.add(tx.client, decided.rows);
    return { outcome: decided.outcome, incidentId: decided.incidentId, position: result.positions[0] };
  }

  /**
   * The report against its candidates (decideReport): a duplicate, or the appends of the incident and
   * subject streams, the answer to store and the match index's rows.
   */
  private decide(
    intake: IncidentIntake,
    command: RecordIncidentDecision,
    resolved: ResolvedSubjects,
    candidates: Map<string, Candidate>,
    contentHash: string,
  ): Decided {
    const decision = decideReport(
      command,
      [...candidates.values()].map((c) => c.state),
    );
    if (decision.outcome === 'duplicate') return { outcome: 'duplicate', incidentId: decision.incidentId };

    const { incidentId } = decision;
    const incident = candidates.get(incidentId);
    // The subject streams' events are the report's, told of the incident it joined. A dissolution the
    // incident already made is not made again by a second source.
    const subjectEvents = decideSubjects({ ...command, incidentId }, resolved.known).filter(
      ({ event }) =>
        !(
          event.type === 'OrganizationDissolved' &&
          incident?.state.organizations.some((o) => o.organizationId === event.data.organizationId)
        ),
    );
    const decided: StreamEvent<DomainEvent>[] = [
      ...decision.events.map((event) => ({ streamId: incidentStreamId(incidentId), event })),
      ...subjectEvents,
    ];
    const metadata = this.metadata(intake);
    // The incident stream comes first, so the answer's position is the incident's own event.
    const appends = new Map<string, StreamAppend>();
    for (const { streamId, event } of decided) {
      const append = appends.get(streamId) ?? {
        streamId,
        expected:
          streamId === incidentStreamId(incidentId)
            ? (incident?.version ?? 'no_stream')
            : (resolved.versions.get(streamId) ?? 0),
        events: [],
      };
      append.events.push({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata });
      appends.set(streamId, append);
    }
    const outcome = decision.outcome;
    return {
      outcome,
      incidentId,
      appends: [...appends.values()].map((append) =>
        append.expected === 0 ? { ...append, expected: 'no_stream' } : append,
      ),
      answer: { incidentId, contentHash, status: outcome },
      rows: this.indexed(command, decision.events),
    };
  }

  /** What the append made the incident name: every subject of a new incident, or those added to one. */
  private indexed(command: RecordIncidentDecision, events: IncidentEvent[]) {
    return events.flatMap((event) => {
      if (!isIncidentRecorded(event) && event.type !== 'SubjectsAdded') return [];
      const { incidentId, persons, organizations } = event.data;
      return IncidentMatchIndex.rowsOf(command.type, incidentId, persons, organizations);
    });
  }

  private idempotencyKeys({ report, channel }: IncidentIntake): IdempotencyKey[] {
    if (channel.kind === 'webhook') {
      return [
        { scope: `webhook:${channel.sourceId}`, key: channel.webhookId },
        { scope: `report:${channel.sourceId}`, key: report.externalId! },
      ];
    }
    const key = report.externalId ?? channel.idempotencyKey;
    return key === undefined ? [] : [{ scope: 'report:admin', key }];
  }

  /**
   * A known delivery id gets the first answer again; a known report id is a duplicate when the content
   * is the same, and a conflict when it is not.
   */
  private replayed(
    intake: IncidentIntake,
    result: AppendResult<StoredAnswer>,
    contentHash: string,
  ): RecordIncidentResult {
    const { incidentId, contentHash: storedHash, status } = result.answer!;
    if (intake.channel.kind === 'webhook' && result.matchedKey === 0) {
      return { outcome: status ?? 'recorded', incidentId, position: result.positions[0] };
    }
    if (storedHash !== contentHash) {
      throw new ReportIdReusedError(
        intake.report.externalId ?? (intake.channel as { idempotencyKey: string }).idempotencyKey,
      );
    }
    return { outcome: 'duplicate', incidentId };
  }

  private metadata({ channel, requestId }: IncidentIntake): EventMetadata {
    return channel.kind === 'webhook'
      ? {
          correlationId: requestId,
          causationId: channel.webhookId,
          actor: `source:${channel.sourceId}`,
          source: channel.sourceId,
        }
      : adminMetadata(requestId);
  }
}
