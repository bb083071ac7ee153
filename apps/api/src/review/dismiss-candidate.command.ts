import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { candidateDismissed, reviewStreamId, type DismissableReviewKind } from '@vigil/domain';
import { EventStore, StreamVersionConflictError } from '@vigil/event-store';

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
 * double click, two admins) finds it and appends nothing, and is answered as the first was.
 */
@CommandHandler(DismissCandidate)
export class DismissCandidateHandler implements ICommandHandler<DismissCandidate, DismissAnswer> {
  constructor(private readonly store: EventStore) {}

  async execute({ candidateId, kind, requestId }: DismissCandidate): Promise<DismissAnswer> {
    const dismissed = candidateDismissed(candidateId, kind);
    try {
      await this.store.append([
        {
          streamId: reviewStreamId(candidateId),
          expected: 'no_stream',
          events: [
            {
              ...dismissed,
              metadata: { correlationId: requestId, causationId: requestId, actor: 'admin', source: 'admin' },
            },
          ],
        },
      ]);
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError)) throw error;
    }
    return { id: candidateId, dismissed: true };
  }
}
