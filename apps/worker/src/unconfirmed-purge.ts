import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EmailSubscriptions } from '@vigil/alerts';
import { ErrorReporter, LOGGER, PeriodicTask, type Logger } from '@vigil/platform';

/** Hourly: a subscription is erased within an hour of its seven days running out. */
const PURGE_EVERY_MS = 3_600_000;

/**
 * Erases subscriptions never confirmed within seven days (often an address typed by someone else) and
 * the confirmation-mail counts past their day: EmailSubscriptions.purgeUnconfirmed, on a timer, in the
 * worker. Once at start, then every hour; a failed pass is reported and the next one tries again.
 */
@Injectable()
export class UnconfirmedPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly subscriptions: EmailSubscriptions,
    errors: ErrorReporter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.task = new PeriodicTask('unconfirmed-purge', PURGE_EVERY_MS, () => this.purge(), errors);
  }

  onApplicationBootstrap(): void {
    this.task.start({ now: true });
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async purge(): Promise<void> {
    const erased = await this.subscriptions.purgeUnconfirmed();
    if (erased) this.logger.info({ erased }, 'never-confirmed subscriptions erased');
  }
}
