import type { IncidentRecordedData } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';

export const INCIDENT_TYPES_BY_EVENT: Record<string, string> = {
  ArrestRecorded: 'arrest',
  ReleaseRecorded: 'release',
  RulingRecorded: 'ruling',
  ExecutionRecorded: 'execution',
  HarassmentRecorded: 'harassment',
};

/**
 * The incident as a watcher receives it (docs/api.md, "What a watcher receives"), frozen into the
 * delivery row when it is routed, so every retry sends the same body.
 */
export function incidentPayload(event: RecordedEvent<IncidentRecordedData<Record<string, unknown>>>) {
  const { data } = event;
  return {
    id: data.incidentId,
    type: INCIDENT_TYPES_BY_EVENT[event.type],
    occurredOn: data.occurredOn.value,
    occurredOnDetail: data.occurredOn,
    persons: data.persons.map((p) => ({ id: p.personId, name: p.name })),
    organizations: data.organizations.map((o) => ({ id: o.organizationId, name: o.name })),
    location: data.location ?? null,
    details: data.details,
    summary: data.summary ?? null,
    source: data.source,
    status: 'recorded',
  };
}
