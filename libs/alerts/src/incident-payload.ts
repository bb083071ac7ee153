import {
  ADMIN_SOURCE_ID,
  incidentVerification,
  isNewlyDocumented,
  officiallyAcknowledged,
  verificationFactsOf,
  type IncidentRecordedData,
  type RecordedEventType,
  type VerificationFacts,
} from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import { evolveFacts, type IncidentFacts } from './incident-facts';

/** A recording event as read from the log (ArrestRecorded …): its type is one of the table's. */
export type RecordedIncidentEvent = RecordedEvent<IncidentRecordedData<Record<string, unknown>>> & {
  type: RecordedEventType;
};

/** The verification rule's view of the router's facts (the domain's). */
export const verificationFacts = (facts: IncidentFacts): VerificationFacts => verificationFactsOf(facts.state);

/** An incident as a watcher receives it (docs/api.md, "What a watcher receives"). */
export type IncidentPayload = ReturnType<typeof incidentPayloadOf>;

/**
 * The incident as a watcher receives it (docs/api.md, "What a watcher receives"), frozen into the
 * delivery row when it is routed, so every retry sends the same body: as the router's facts say it is
 * at the event that caused the alert. An admin's own reports are the source `admin`, shown under the
 * citation the admin gave.
 */
export function incidentPayloadOf(facts: IncidentFacts) {
  const { state } = facts;
  const occurredOn = state.occurredOn!;
  const retracted = state.status === 'retracted';
  return {
    id: facts.incidentId,
    type: state.type!,
    occurredOn: occurredOn.value,
    occurredOnDetail: occurredOn,
    persons: state.persons.map((p) => ({ id: p.personId, name: p.name })),
    organizations: state.organizations.map((o) => ({ id: o.organizationId, name: o.name })),
    location: state.location ?? null,
    details: state.details,
    summary: state.summary ?? null,
    source: state.source!,
    status: retracted ? 'retracted' : state.status === 'confirmed' ? 'confirmed' : 'recorded',
    ...(retracted ? { retractionReason: facts.retractionReason } : {}),
    // When it was routed from the log: the recording time is the log's, so a replay says the same.
    newlyDocumented: isNewlyDocumented(occurredOn, new Date(facts.recordedAt)),
    verification: incidentVerification(state),
    sources: state.sources.map((entry) => ({
      id: entry.sourceId,
      name: entry.sourceId === ADMIN_SOURCE_ID ? entry.source.name : entry.name,
      kind: entry.kind,
      url: entry.source.url ?? null,
      reportedAt: entry.reportedAt ?? null,
    })),
    officiallyAcknowledged: officiallyAcknowledged(state.sources),
    conflicts: state.conflicts.map(({ field, values }) => ({
      field,
      values: values.map(({ value, sources }) => ({ value: value.value, sources })),
    })),
  };
}

/** The incident a recording event alone describes: its payload as a first alert carries it. */
export function incidentPayload(
  event: RecordedIncidentEvent,
  sourceName: (id: string) => string | undefined = () => undefined,
) {
  const facts = evolveFacts(undefined, event, { sourceName, factsOf: () => undefined });
  return incidentPayloadOf(facts!);
}
