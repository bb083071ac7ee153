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
import { IncidentMatchIndex } from './incident-match-index';
import { ReportIdReusedError } from './report-id-reused.error';
import { RecordIncident, type IncidentIntake, type RecordIncidentResult } from './record-incident.command';
import { retryOnStreamConflict } from './retry-on-stream-conflict';
import { SubjectResolver, type ResolvedSubjects } from './subject-resolver';

interface StoredAnswer {
  incidentId: string;
  contentHash: string;
  /** What the report did (absent in answers stored before corroboration: they recorded). */
  status?: 'recorded' | 'corroborated' | 'disputed';
}

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
 * Records an incident of any type: resolves its persons and organisations, decides the events of the
 * incident and subject streams, and appends them in one transaction guarded by the report's idempotency
 * keys. A concurrent report about the same person may move its stream between the read and the append:
 * the whole decision is then made again on what is there now.
 */
/**
 * Records a report of any incident type: resolves its persons and organisations, then, under a lock on
 * its type and persons (organisations when it names none), reads the incidents it may be and decides:
 * a new incident, a source added to one (maybe disputing its date), or a duplicate that appends nothing
 * (docs/decisions/0014-one-incident-however-many-sources.md). The events of the incident and subject
 * streams and the match index's rows commit in one transaction guarded by the report's idempotency keys.
 * A concurrent report about the same person may move a stream between the read and the append: the
 * whole decision is then made again on what is there now.
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
    return retryOnStreamConflict(async () => {
      // A retry or a re-sent report is answered before any name is claimed (the resolver's lookup).
      const resolved = await this.subjects.resolve<StoredAnswer>(intake.report, keys);
      if ('replayed' in resolved) return this.replayed(intake, resolved.replayed, contentHash);
      const command = this.command(intake, incidentId, resolved);
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

  private async decideAndAppend(
    tx: StoreTransaction,
    intake: IncidentIntake,
    command: RecordIncidentDecision,
    resolved: ResolvedSubjects,
    keys: IdempotencyKey[],
    contentHash: string,
  ): Promise<RecordIncidentResult> {
    const matchedOn = IncidentMatchIndex.matchedOn(
      command.persons.map((p) => p.personId),
      command.organizations.map((o) => o.organizationId),
    );
    await this.matches.lock(tx.client, command.type, matchedOn);
    const read = await this.matches.candidates<StoredAnswer>(tx.client, keys, command.type, matchedOn);
    if ('replayed' in read) return this.replayed(intake, read.replayed, contentHash);
    const decision = decideReport(
      command,
      [...read.candidates.values()].map((c) => c.state),
    );
    if (decision.outcome === 'duplicate') return { outcome: 'duplicate', incidentId: decision.incidentId };

    const { incidentId } = decision;
    const incident = read.candidates.get(incidentId);
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
    const status = decision.outcome;
    const result = await tx.append<StoredAnswer>(
      [...appends.values()].map((append) => (append.expected === 0 ? { ...append, expected: 'no_stream' } : append)),
      { idempotency: keys, answer: { incidentId, contentHash, status } },
    );
    if (result.replayed) return this.replayed(intake, result, contentHash);
    await this.matches.add(tx.client, this.indexed(command, decision.events));
    return { outcome: status, incidentId, position: result.positions[0] };
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
      : { correlationId: requestId, causationId: requestId, actor: 'admin', source: 'admin' };
  }
}
