import { event, type Event } from '../incidents/incident.events';

/**
 * What waits for a person to decide (`GET /v1/admin/review`): pairs of subjects whose names may denote the
 * same one, an incident recorded with possible duplicates (one item per pair), and an incident's open
 * conflict. A conflict is settled by resolving it, never dismissed: DISMISSABLE_REVIEW_KINDS are the others.
 */
export const REVIEW_KINDS = ['similar_names', 'possible_duplicate', 'conflict'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const DISMISSABLE_REVIEW_KINDS = ['similar_names', 'possible_duplicate'] as const;
export type DismissableReviewKind = (typeof DISMISSABLE_REVIEW_KINDS)[number];

/**
 * An admin decided a review item is not what it may be (two persons are two people, two incidents are two
 * events): it never comes back on the review list. An event, not a row, because it is a decision someone
 * made: the log keeps who and when, and a rebuild of the read models cannot forget it. On its own stream, `review-<id>`, appended
 * with `no_stream`, so a second dismissal of one item appends nothing.
 */
export type CandidateDismissed = Event<'CandidateDismissed', { candidateId: string; kind: DismissableReviewKind }>;

export const reviewStreamId = (candidateId: string): string => `review-${candidateId}`;

export const candidateDismissed = (candidateId: string, kind: DismissableReviewKind): CandidateDismissed =>
  event('CandidateDismissed', { candidateId, kind });
