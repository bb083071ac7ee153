import { event, type Event } from '../incidents/incident.events';

/**
 * What waits for a person to decide (`GET /v1/admin/review`): for now pairs of subjects whose names may
 * denote the same one. Other kinds (possible duplicate incidents, conflicts) join this list.
 */
export const REVIEW_KINDS = ['similar_names'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/**
 * An admin decided a review item is not what it may be (two persons are two people): it never comes
 * back on the review list. An event, not a row, because it is a decision someone made: the log keeps who
 * and when, and a rebuild of the read models cannot forget it. On its own stream, `review-<id>`, appended
 * with `no_stream`, so a second dismissal of one item appends nothing.
 */
export type CandidateDismissed = Event<'CandidateDismissed', { candidateId: string; kind: ReviewKind }>;

export const reviewStreamId = (candidateId: string): string => `review-${candidateId}`;

export const candidateDismissed = (candidateId: string, kind: ReviewKind): CandidateDismissed =>
  event('CandidateDismissed', { candidateId, kind });
