import {
  isNewlyDocumented,
  officiallyAcknowledged,
  verificationOf,
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

/** The verification rule's view of the router's facts. */
export const verificationFacts = (facts: IncidentFacts): VerificationFacts => ({
  sources: facts.sources,
  confirmed: facts.confirmed,
  retracted: facts.retracted,
  openConflicts: facts.conflicts.length,
});

/** An incident as a watcher receives it (docs/api.md, "What a watcher receives"). */
export type IncidentPayload = ReturnType<typeof incidentPayloadOf>;

/**
 * The incident as a watcher receives it (docs/api.md, "What a watcher receives"), frozen into the
 * delivery row when it is routed, so every retry sends the same body: as the router's facts say it is
 * at the event that caused the alert.
 */
export function incidentPayloadOf(facts: IncidentFacts) {
  const status = facts.retracted ? 'retracted' : facts.confirmed ? 'confirmed' : 'recorded';
  return {
    id: facts.incidentId,
    type: facts.type,
    occurredOn: facts.occurredOn.value,
    occurredOnDetail: facts.occurredOn,
    persons: facts.persons.map((p) => ({ id: p.personId, name: p.name })),
    organizations: facts.organizations.map((o) => ({ id: o.organizationId, name: o.name })),
    location: facts.location,
    details: facts.details,
    summary: facts.summary,
    source: facts.source,
    status,
    ...(facts.retracted ? { retractionReason: facts.retractionReason } : {}),
    // When it was routed from the log: the recording time is the log's, so a replay says the same.
    newlyDocumented: isNewlyDocumented(facts.occurredOn, new Date(facts.recordedAt)),
    verification: verificationOf(verificationFacts(facts)),
    sources: facts.sources.map(({ sourceId, name, kind, url, reportedAt }) => ({
      id: sourceId,
      name,
      kind,
      url,
      reportedAt,
    })),
    officiallyAcknowledged: officiallyAcknowledged(facts.sources),
    conflicts: facts.conflicts.map(({ field, values }) => ({
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
