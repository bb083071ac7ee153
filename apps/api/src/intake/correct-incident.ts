import {
  decideIncident,
  evolveIncident,
  incidentStreamId,
  initialIncidentState,
  type ConfirmIncident,
  type IncidentEvent,
  type RetractIncident,
} from '@vigil/domain';
import type { EventStore } from '@vigil/event-store';
import { adminMetadata } from './admin-metadata';
import { retryOnStreamConflict } from './retry-on-stream-conflict';

/**
 * Loads an incident, decides a confirmation or retraction against its state, and appends with the
 * version it read; a concurrent correction makes it read and decide again. Answers the log position of what it
 * appended or, when the incident already was so (a retry), of the stream's last event (docs/api.md, "Reading your
 * own writes").
 */
export async function correctIncident(
  store: EventStore,
  command: ConfirmIncident | RetractIncident,
  requestId: string,
): Promise<number | undefined> {
  const streamId = incidentStreamId(command.incidentId);
  return retryOnStreamConflict(async () => {
    const history = await store.readStream(streamId);
    const state = history.reduce(
      (s, e) => evolveIncident(s, { type: e.type, schemaVersion: e.schemaVersion, data: e.data } as IncidentEvent),
      initialIncidentState,
    );
    const events = decideIncident(command, state);
    if (!events.length) return history.at(-1)?.position;
    const { positions } = await store.append([
      {
        streamId,
        expected: history.length,
        events: events.map((e) => ({
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          metadata: adminMetadata(requestId),
        })),
      },
    ]);
    return positions[0];
  });
}
