import {
  INCIDENT_TYPE_BY_EVENT,
  isNewlyDocumented,
  type IncidentRecordedData,
  type RecordedEventType,
} from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';

/** A recording event as read from the log (ArrestRecorded …): its type is one of the table's. */
export type RecordedIncidentEvent = RecordedEvent<IncidentRecordedData<Record<string, unknown>>> & {
  type: RecordedEventType;
};

/**
 * The incident as a watcher receives it (docs/api.md, "What a watcher receives"), frozen into the
 * delivery row when it is routed, so every retry sends the same body.
 */
export function incidentPayload(event: RecordedIncidentEvent) {
  const { data } = event;
  return {
    id: data.incidentId,
    type: INCIDENT_TYPE_BY_EVENT[event.type],
    occurredOn: data.occurredOn.value,
    occurredOnDetail: data.occurredOn,
    persons: data.persons.map((p) => ({ id: p.personId, name: p.name })),
    organizations: data.organizations.map((o) => ({ id: o.organizationId, name: o.name })),
    location: data.location ?? null,
    details: data.details,
    summary: data.summary ?? null,
    source: data.source,
    status: 'recorded',
    // When it was routed from the log: the recording time is the log's, so a replay says the same.
    newlyDocumented: isNewlyDocumented(data.occurredOn, event.recordedAt),
  };
}
