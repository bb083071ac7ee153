import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConfirmationMails, DeliveryQueues, EmailSubscriptions, newToken } from '@vigil/alerts';
import { LOGGER, SecretBox, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { StartSubscription } from './subscription.commands';
import { WatchListResolver } from './watch-list';

/** No address receives more than this many confirmation mails a day, whoever asks. */
export const CONFIRMATION_MAILS_PER_DAY = 3;
const CONFIRMATION_VALID_MS = 7 * 24 * 3_600_000;

@CommandHandler(StartSubscription)
export class StartSubscriptionHandler implements ICommandHandler<StartSubscription, void> {
  private readonly box: SecretBox;

  constructor(
    private readonly subscriptions: EmailSubscriptions,
    private readonly watchList: WatchListResolver,
    private readonly confirmations: ConfirmationMails,
    private readonly queues: DeliveryQueues,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.box = new SecretBox(config.secretsKey, config.previousSecretsKeys);
  }

  async execute({ request }: StartSubscription): Promise<void> {
    const watches = await this.watchList.resolve(request.watch);
    const confirm = newToken();
    const unsubscribe = newToken();
    const subscriptionId = await this.subscriptions.create({
      email: request.email,
      watches,
      types: request.types,
      minVerification: request.minVerification,
      confirmTokenHash: confirm.hash,
      confirmExpiresAt: new Date(Date.now() + CONFIRMATION_VALID_MS),
      unsubscribeTokenHash: unsubscribe.hash,
      unsubscribeTokenBox: this.box.seal(unsubscribe.token),
    });
    // Sent by the worker, as alerts are: the answer does not depend on the mail server nor reveal anything by
    // its timing, and the mail is retried until it goes out (docs/architecture.md, "Mail"). The mail is recorded
    // in the transaction that counts it against the address's daily cap.
    const content = this.box.seal(JSON.stringify({ token: confirm.token, watch: request.watch, types: request.types }));
    const mailId = await this.subscriptions.claimConfirmationMail(request.email, CONFIRMATION_MAILS_PER_DAY, (client) =>
      this.confirmations.create(subscriptionId, content, client),
    );
    if (mailId === undefined) {
      this.logger.info('confirmation mail withheld: daily limit for this address reached');
      return;
    }
    // With Redis away the row waits for the sweeper: the subscriber is answered all the same.
    await this.queues
      .enqueueConfirmations([mailId])
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'confirmation mail left to the sweeper'));
  }
}
