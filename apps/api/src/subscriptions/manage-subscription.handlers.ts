import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailSubscriptions } from '@vigil/alerts';
import { ChangeSubscription, EraseSubscription, PauseSubscription } from './manage-subscription.commands';
import { WatchListResolver } from './watch-list';

/** The subscriber's own changes, behind the manage token every mail carries (docs/api.md, "Pages"). */
@CommandHandler(ChangeSubscription)
export class ChangeSubscriptionHandler implements ICommandHandler<ChangeSubscription, boolean> {
  constructor(
    private readonly subscriptions: EmailSubscriptions,
    private readonly watchList: WatchListResolver,
  ) {}

  async execute({ token, request }: ChangeSubscription): Promise<boolean> {
    const watches = await this.watchList.resolve(request.watch);
    return this.subscriptions.change(token, {
      watches,
      types: request.types,
      language: request.language ?? 'en',
      content: request.content ?? 'full',
    });
  }
}

@CommandHandler(PauseSubscription)
export class PauseSubscriptionHandler implements ICommandHandler<PauseSubscription, boolean> {
  constructor(private readonly subscriptions: EmailSubscriptions) {}

  execute({ token, paused }: PauseSubscription): Promise<boolean> {
    return this.subscriptions.setPaused(token, paused);
  }
}

@CommandHandler(EraseSubscription)
export class EraseSubscriptionHandler implements ICommandHandler<EraseSubscription, boolean> {
  constructor(private readonly subscriptions: EmailSubscriptions) {}

  execute({ token }: EraseSubscription): Promise<boolean> {
    return this.subscriptions.eraseByToken(token);
  }
}
