import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailSubscriptions } from '@vigil/alerts';
import { EndSubscription } from './subscription.commands';

/** Unsubscribing erases the address and the watch list; the token keeps answering. */
@CommandHandler(EndSubscription)
export class EndSubscriptionHandler implements ICommandHandler<EndSubscription, boolean> {
  constructor(private readonly subscriptions: EmailSubscriptions) {}

  execute({ token }: EndSubscription): Promise<boolean> {
    return this.subscriptions.unsubscribe(token);
  }
}
