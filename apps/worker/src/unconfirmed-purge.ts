import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EmailSubscriptions } from '@vigil/alerts';
import { ErrorReporter, LOGGER, type Logger } from '@vigil/platform';

/** Hourly: a subscription is erased within an hour of its seven days running out. */
const PURGE_EVERY_MS = 3_600_000;

/**
 * Erases subscriptions never confirmed within seven days (often an address typed by someone else) and
 * the confirmation-mail counts past their day: EmailSubscriptions.purgeUnconfirmed, on a timer, in the
 * worker. Once at start, then every hour; a failed pass is reported and the next one tries again.
 */
@Injectable()
export class UnconfirmedPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private purging?: Promise<void>;

  constructor(
    private readonly subscriptions: EmailSubscriptions,
    private readonly errors: ErrorReporter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.purge();
    this.timer = setInterval(() => this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.purging;
  }

  private purge(): void {
    this.purging ??= this.subscriptions
      .purgeUnconfirmed()
      .then((erased) => {
        if (erased) this.logger.info({ erased }, 'never-confirmed subscriptions erased');
      })
      .catch((error: Error) => this.errors.report('unconfirmed-purge', error))
      .finally(() => (this.purging = undefined));
  }
}
