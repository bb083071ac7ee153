import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailSubscriptions } from '@vigil/alerts';
import { ConfirmSubscription } from './subscription.commands';

@CommandHandler(ConfirmSubscription)
export class ConfirmSubscriptionHandler implements ICommandHandler<
  ConfirmSubscription,
  { subscriptionId: string } | undefined
> {
  constructor(private readonly subscriptions: EmailSubscriptions) {}

  async execute({ token }: ConfirmSubscription): Promise<{ subscriptionId: string } | undefined> {
    const id = await this.subscriptions.confirm(token);
    return id ? { subscriptionId: id } : undefined;
  }
}
