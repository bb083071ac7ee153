import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import {
  decideIncident,
  decideSubjects,
  incidentStreamId,
  initialIncidentState,
  type DomainEvent,
  // The domain's plain-data command; RecordIncident here is the Nest command class that carries the intake.
  type RecordIncident as RecordIncidentDecision,
  type StreamEvent,
} from '@vigil/domain';
import {
  EventStore,
  type AppendResult,
  type EventMetadata,
  type IdempotencyKey,
  type StreamAppend,
} from '@vigil/event-store';
import { ReportIdReusedError } from './report-id-reused.error';
import { RecordIncident, type IncidentIntake, type RecordIncidentResult } from './record-incident.command';
import { retryOnStreamConflict } from './retry-on-stream-conflict';
import { SubjectResolver } from './subject-resolver';

interface StoredAnswer {
  incidentId: string;
  contentHash: string;
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
@CommandHandler(RecordIncident)
export class RecordIncidentHandler implements ICommandHandler<RecordIncident, RecordIncidentResult> {
  constructor(
    private readonly store: EventStore,
    private readonly subjects: SubjectResolver,
  ) {}

  async execute({ intake }: RecordIncident): Promise<RecordIncidentResult> {
    const keys = this.idempotencyKeys(intake);
    const contentHash = createHash('sha256').update(canonical(intake.report)).digest('base64url');
    const incidentId = randomUUID();
    return retryOnStreamConflict(async () => {
      // A retry or a re-sent report is answered before any name is claimed (the resolver's lookup).
      const decided = await this.decide(intake, incidentId, keys);
      if ('replayed' in decided) return this.replayed(intake, decided.replayed, contentHash);
      const result = await this.store.append<StoredAnswer>(decided.appends, {
        idempotency: keys,
        answer: { incidentId, contentHash },
      });
      if (result.replayed) return this.replayed(intake, result, contentHash);
      return { outcome: 'recorded', incidentId, position: result.positions[0] };
    });
  }

  private async decide(
    intake: IncidentIntake,
    incidentId: string,
    keys: IdempotencyKey[],
  ): Promise<{ appends: StreamAppend[] } | { replayed: AppendResult<StoredAnswer> }> {
    const { report, parsed, channel } = intake;
    const resolved = await this.subjects.resolve<StoredAnswer>(report, keys);
    if ('replayed' in resolved) return resolved;
    const command = {
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

    const decided: StreamEvent<DomainEvent>[] = [
      ...decideIncident(command, initialIncidentState).map((event) => ({
        streamId: incidentStreamId(incidentId),
        event,
      })),
      ...decideSubjects(command, resolved.known),
    ];
    const metadata = this.metadata(intake);
    // The incident stream comes first, so the answer's position is the incident's own event.
    const appends = new Map<string, StreamAppend>();
    for (const { streamId, event } of decided) {
      const append = appends.get(streamId) ?? {
        streamId,
        expected: streamId === incidentStreamId(incidentId) ? 'no_stream' : (resolved.versions.get(streamId) ?? 0),
        events: [],
      };
      append.events.push({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata });
      appends.set(streamId, append);
    }
    return {
      appends: [...appends.values()].map((append) =>
        append.expected === 0 ? { ...append, expected: 'no_stream' } : append,
      ),
    };
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
    const { incidentId, contentHash: storedHash } = result.answer!;
    if (intake.channel.kind === 'webhook' && result.matchedKey === 0) {
      return { outcome: 'recorded', incidentId, position: result.positions[0] };
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
