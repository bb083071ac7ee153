import {
  evolveOrganization,
  evolvePerson,
  initialOrganizationState,
  initialPersonState,
  subjectStreamId,
  type MergeableState,
  type OrganizationEvent,
  type OrganizationState,
  type PersonEvent,
  type PersonState,
  type Subject,
} from '@vigil/domain';
import type { EventStore, RecordedEvent } from '@vigil/event-store';

/** A person's or organisation's stream as an admin command decides on it. */
export interface LoadedSubject {
  streamId: string;
  state: MergeableState;
  /** The stream's version as read: the append's expected version (0: nothing there). */
  version: number;
  events: RecordedEvent[];
}

/** Reads a subject's stream (an id that is no uuid names no one: its stream is empty) and folds its state. */
export async function loadSubject(store: EventStore, subject: Subject, id: string): Promise<LoadedSubject> {
  const streamId = subjectStreamId(subject, id);
  const events = await store.readStream(streamId);
  const plain = events.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data }));
  const state =
    subject === 'person'
      ? plain.reduce<PersonState>((s, e) => evolvePerson(s, e as PersonEvent), initialPersonState)
      : plain.reduce<OrganizationState>(
          (s, e) => evolveOrganization(s, e as OrganizationEvent),
          initialOrganizationState,
        );
  return { streamId, state, version: events.length, events };
}
