import {
  evolveIncident,
  incidentStreamId,
  initialIncidentState,
  type IncidentEvent,
  type IncidentState,
  type StreamEvent,
} from '@vigil/domain';
import type { EventMetadata, EventStore, StreamAppend } from '@vigil/event-store';

/** An incident as its stream makes it, and the stream's version (for the append's expected version). */
export interface LoadedIncident {
  state: IncidentState;
  version: number;
  /** The log position of the stream's last event: what an answer that appends nothing rests on. */
  position?: number;
}

/** Reads and folds incidents by id, in one read; an unknown id is an unrecorded incident at version 0. */
export async function loadIncidents(store: EventStore, incidentIds: string[]): Promise<Map<string, LoadedIncident>> {
  const streams = await store.readStreams(incidentIds.map(incidentStreamId));
  return new Map(
    incidentIds.map((id) => {
      const events = streams.get(incidentStreamId(id)) ?? [];
      const state = events.reduce(
        (s, e) => evolveIncident(s, { type: e.type, schemaVersion: e.schemaVersion, data: e.data } as IncidentEvent),
        initialIncidentState,
      );
      return [id, { state, version: events.length, position: events.at(-1)?.position }];
    }),
  );
}

/** Decided events as appends, each stream expected at the version it was read at (none: a new stream). */
export function appendsOf(
  decided: StreamEvent<IncidentEvent>[],
  versions: Map<string, number>,
  metadata: EventMetadata,
): StreamAppend[] {
  const appends = new Map<string, StreamAppend>();
  for (const { streamId, event } of decided) {
    const version = versions.get(streamId) ?? 0;
    const append = appends.get(streamId) ?? { streamId, expected: version === 0 ? 'no_stream' : version, events: [] };
    append.events.push({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata });
    appends.set(streamId, append);
  }
  return [...appends.values()];
}
