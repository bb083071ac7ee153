import { event, MERGE_EVENT_TYPES, subjectStreamId, type MergeEvent, type Subject } from '../incidents/incident.events';
import {
  MergeIntoItselfError,
  SubjectMergedError,
  SubjectNotFoundError,
  SubjectNotMergedError,
} from './identity.errors';

/** What the merge rules read of a person's or organisation's state. */
export interface MergeableState {
  registered: boolean;
  keys: string[];
  mergedInto?: string;
}

export function isMergeEvent<E extends { type: string }>(candidate: E): candidate is Extract<E, MergeEvent> {
  return (MERGE_EVENT_TYPES as readonly string[]).includes(candidate.type);
}

/**
 * Merges on a subject's own state: the merged one points at its survivor; the survivor knows the moved
 * keys as its own spellings while the merge stands (so a report naming one of them adds no alias to it).
 */
export function evolveMerges<State extends MergeableState>(state: State, merge: MergeEvent): State {
  switch (merge.type) {
    case 'SubjectMerged':
      return { ...state, mergedInto: merge.data.into };
    case 'SubjectUnmerged':
      return { ...state, mergedInto: undefined };
    case 'SubjectAbsorbed':
      return { ...state, keys: [...state.keys, ...merge.data.keys.filter((key) => !state.keys.includes(key))] };
    case 'SubjectReleased': {
      const released = new Set(merge.data.keys);
      return { ...state, keys: state.keys.filter((key) => !released.has(key)) };
    }
    default: {
      const unexpected: never = merge;
      throw new Error(`unknown merge event ${JSON.stringify(unexpected)}`);
    }
  }
}

export interface MergeSubjects {
  subject: Subject;
  id: string;
  into: string;
  reason: string;
}

/**
 * Whether `id` may be merged into `into`: both registered, two different subjects, neither merged already
 * (a survivor that absorbed others may itself be merged: they follow it). Throws the rule broken.
 */
export function assertMergeable(command: MergeSubjects, merged: MergeableState, survivor: MergeableState): void {
  const { subject, id, into } = command;
  if (id === into) throw new MergeIntoItselfError(subject, id);
  if (!merged.registered) throw new SubjectNotFoundError(subject, id);
  if (!survivor.registered) throw new SubjectNotFoundError(subject, into);
  if (merged.mergedInto) throw new SubjectMergedError(subject, id, merged.mergedInto);
  if (survivor.mergedInto) throw new SubjectMergedError(subject, into, survivor.mergedInto);
}

/** The events of a merge on both streams; `keys` are the name keys it moved to the survivor. */
export function decideSubjectMerge(command: MergeSubjects, keys: string[]): { streamId: string; event: MergeEvent }[] {
  const { subject, id, into, reason } = command;
  return [
    { streamId: subjectStreamId(subject, id), event: event('SubjectMerged', { subject, id, into, reason }) },
    {
      streamId: subjectStreamId(subject, into),
      event: event('SubjectAbsorbed', { subject, id: into, from: id, keys, reason }),
    },
  ];
}

export interface UnmergeSubject {
  subject: Subject;
  id: string;
  reason?: string;
}

/** The survivor an unmerge takes the subject back from; throws when there is nothing to undo. */
export function assertUnmergeable(command: UnmergeSubject, state: MergeableState): string {
  if (!state.registered) throw new SubjectNotFoundError(command.subject, command.id);
  if (!state.mergedInto) throw new SubjectNotMergedError(command.subject, command.id);
  return state.mergedInto;
}

/**
 * The events of an unmerge on both streams: `keys` are those given back (the ones that resolved to the
 * subject, or to one merged into it, before the merge), `mergedAt` the position of the merge undone.
 */
export function decideSubjectUnmerge(
  command: UnmergeSubject,
  from: string,
  keys: string[],
  mergedAt: number,
): { streamId: string; event: MergeEvent }[] {
  const { subject, id, reason } = command;
  return [
    {
      streamId: subjectStreamId(subject, id),
      event: event('SubjectUnmerged', { subject, id, from, keys, mergedAt, ...(reason && { reason }) }),
    },
    {
      streamId: subjectStreamId(subject, from),
      event: event('SubjectReleased', { subject, id: from, released: id, keys }),
    },
  ];
}
