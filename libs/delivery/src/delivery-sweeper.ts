import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfirmationMails, Deliveries, DeliveryQueues, ownerOf, type StaleDelivery } from '@vigil/alerts';
import { ErrorReporter, LOGGER, PeriodicTask, type Logger } from '@vigil/platform';

export interface SweeperOptions {
  intervalMs: number;
  /** A row untouched this long while still pending or failed is checked for a job. */
  staleAfterMs: number;
}

export const SWEEPER_OPTIONS = Symbol('SWEEPER_OPTIONS');
export const DEFAULT_SWEEPER_OPTIONS: SweeperOptions = { intervalMs: 30_000, staleAfterMs: 60_000 };

/**
 * Redis holds only work in flight. If it is flushed or restarted without its data, the deliveries table
 * still says what must go out: rows pending or failed whose job is gone are queued again, alerts and
 * confirmation mails alike (the latter also when the API could not queue them). Alert mails go back in
 * pages under new job ids, each row only while the lost job still owns it (docs/decisions/0023-a-job-per-page-of-deliveries.md).
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly deliveries: Deliveries,
    private readonly confirmations: ConfirmationMails,
    private readonly queues: DeliveryQueues,
    @Inject(SWEEPER_OPTIONS) private readonly options: SweeperOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    errors: ErrorReporter,
  ) {
    this.task = new PeriodicTask('delivery-sweeper', options.intervalMs, () => this.sweep(), errors);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Re-queues stale rows that have no job; returns how many. */
  async sweep(): Promise<number> {
    const stale = await this.deliveries.unfinished(this.options.staleAfterMs, 5_000);
    // A row's job is its page's or its own (ownerOf): one look in Redis per job, not per row.
    const byOwner = new Map<string, StaleDelivery[]>();
    for (const row of stale) byOwner.set(ownerOf(row), [...(byOwner.get(ownerOf(row)) ?? []), row]);
    const lost = [];
    for (const [owner, rows] of byOwner) {
      if (!(await this.queues.queues[rows[0].channel].getJob(owner)))
        lost.push(...rows.map((row) => ({ ...row, owner })));
    }
    // New jobs (mail rows in new pages) for the rows still owned by a lost job, then queued.
    const orphans = await this.deliveries.takeOver(lost);
    const confirmations = [];
    for (const id of await this.confirmations.unfinished(this.options.staleAfterMs, 5_000)) {
      if (!(await this.queues.queues.email.getJob(id))) confirmations.push(id);
    }
    if (orphans.length || confirmations.length) {
      this.logger.info(
        { count: orphans.length, confirmations: confirmations.length },
        're-queueing deliveries whose job was lost',
      );
      await this.queues.enqueue(orphans);
      await this.queues.enqueueConfirmations(confirmations);
    }
    return orphans.length + confirmations.length;
  }
}
