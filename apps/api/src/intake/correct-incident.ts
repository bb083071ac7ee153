import {
  decideIncident,
  evolveIncident,
  incidentStreamId,
  initialIncidentState,
  type IncidentCommand,
  type IncidentEvent,
} from '@vigil/domain';
import { EventStore, StreamVersionConflictError } from '@vigil/event-store';

const MAX_ATTEMPTS = 5;

/**
 * Loads an incident, decides a confirmation or retraction against its state, and appends with the
 * version it read; a concurrent correction makes it read and decide again.
 */
export async function correctIncident(store: EventStore, command: IncidentCommand, requestId: string): Promise<void> {
  const streamId = incidentStreamId(command.incidentId);
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const state = history.reduce(
      (s, e) => evolveIncident(s, { type: e.type, version: e.schemaVersion, data: e.data } as IncidentEvent),
      initialIncidentState,
    );
    const events = decideIncident(command, state);
    if (!events.length) return;
    try {
      await store.append([
        {
          streamId,
          expected: history.length,
          events: events.map((e) => ({
            type: e.type,
            schemaVersion: e.version,
            data: e.data,
            metadata: { correlationId: requestId, causationId: requestId, actor: 'admin', source: 'admin' },
          })),
        },
      ]);
      return;
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError) || attempt === MAX_ATTEMPTS) throw error;
    }
  }
}
