import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { candidateDismissed, reviewStreamId, type DismissableReviewKind } from '@vigil/domain';
import { EventStore, StreamVersionConflictError } from '@vigil/event-store';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { adminMetadata } from '../intake/admin-metadata';

export interface DismissAnswer {
  id: string;
  dismissed: true;
}

/** An admin says a review item is not what it may be; it leaves the review list for good. */
export class DismissCandidate extends Command<DismissAnswer> {
  constructor(
    readonly candidateId: string,
    readonly kind: DismissableReviewKind,
    readonly requestId: string,
  ) {
    super();
  }
}

/**
 * Appends CandidateDismissed on the item's own stream, which must not exist yet: a second dismissal (a
 * double click, two admins) finds it and appends nothing, and is answered as the first was, at the position of
 * the first dismissal.
 */
@CommandHandler(DismissCandidate)
export class DismissCandidateHandler implements ICommandHandler<DismissCandidate, AtLogPosition<DismissAnswer>> {
  constructor(private readonly store: EventStore) {}

  async execute({ candidateId, kind, requestId }: DismissCandidate): Promise<AtLogPosition<DismissAnswer>> {
    const dismissed = candidateDismissed(candidateId, kind);
    const answer: DismissAnswer = { id: candidateId, dismissed: true };
    try {
      const { positions } = await this.store.append([
        {
          streamId: reviewStreamId(candidateId),
          expected: 'no_stream',
          events: [{ ...dismissed, metadata: adminMetadata(requestId) }],
        },
      ]);
      return atLogPosition(answer, positions[0]);
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError)) throw error;
    }
    return atLogPosition(answer, (await this.store.readStream(reviewStreamId(candidateId)))[0]?.position);
  }
}
