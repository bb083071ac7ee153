import type { RecordedEvent } from '@vigil/event-store';

/**
 * Recorded events of incident streams as the log would hand them to a consumer, at consecutive positions from
 * `after` + 1: what the alert router's specs feed it without an event store. ArrestRecorded is of schema 2.
 */
export function incidentEvents(
  after = 0,
): (incidentId: string, streamVersion: number, type: string, data: object) => RecordedEvent {
  let position = after;
  return (incidentId, streamVersion, type, data) => ({
    position: ++position,
    streamId: `incident-${incidentId}`,
    streamVersion,
    type,
    schemaVersion: type === 'ArrestRecorded' ? 2 : 1,
    data: { incidentId, ...data },
    metadata: {},
    recordedAt: new Date(),
    transactionId: String(position),
  });
}
