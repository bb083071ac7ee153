import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ErrorReporter, REDIS_COMMAND_TIMEOUT_MS, VIGIL_CONFIG, withDeadline, type VigilConfig } from '@vigil/platform';
import { RETRY_BACKOFF, triesOf } from './retry-schedule';

/** The queue of each channel. A job is a pointer to a delivery row: its id is the delivery id, its data only ids. */
export const QUEUE_NAMES = { email: 'mail-delivery', webhook: 'webhook-delivery' } as const;
export type Channel = keyof typeof QUEUE_NAMES;

/**
 * The name of a job in the mail queue that sends a confirmation mail; its `deliveryId` is then the id of a
 * confirmation_mails row. Alert jobs are named 'deliver'.
 */
export const CONFIRMATION_JOB = 'confirm';

export interface DeliveryJob {
  deliveryId: string;
  /** Lets a worker hold back a busy endpoint's job before counting a try. Absent on jobs queued by older versions. */
  subscriptionId?: string;
}

/** What a job is made from: a delivery row's ids. */
export interface QueuedDelivery {
  id: string;
  channel: Channel;
  subscriptionId: string;
}

/** Producer side of the delivery queues: the alert router, the sweeper and the admin retry add jobs here. */
@Injectable()
export class DeliveryQueues {
  readonly queues: Record<Channel, Queue<DeliveryJob>>;

  constructor(
    @InjectQueue(QUEUE_NAMES.email) email: Queue<DeliveryJob>,
    @InjectQueue(QUEUE_NAMES.webhook) webhook: Queue<DeliveryJob>,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    errors: ErrorReporter,
  ) {
    this.queues = { email, webhook };
    // A queue reports its connection's trouble here; without a listener it would go to the console unseen.
    for (const queue of [email, webhook]) queue.on('error', (error) => errors.report(`queue:${queue.name}`, error));
  }

  /**
   * Adds one job per delivery. A job id still in the queue is not added twice (BullMQ keeps one job per
   * id), so the sweeper may re-add what it finds pending without sending anything twice. While Redis is
   * away this fails after a bounded wait (DependencyUnavailableError) instead of hanging until it returns:
   * the delivery rows are durable, and the sweeper queues whatever could not be queued now.
   */
  async enqueue(deliveries: QueuedDelivery[]): Promise<void> {
    for (const channel of Object.keys(this.queues) as Channel[]) {
      await this.add(
        channel,
        'deliver',
        deliveries
          .filter((d) => d.channel === channel)
          .map((d) => ({ deliveryId: d.id, subscriptionId: d.subscriptionId })),
      );
    }
  }

  /** Adds the job of each confirmation mail (by its row id) to the mail queue, as `enqueue` does for alerts. */
  async enqueueConfirmations(ids: string[]): Promise<void> {
    await this.add(
      'email',
      CONFIRMATION_JOB,
      ids.map((id) => ({ deliveryId: id })),
    );
  }

  private async add(channel: Channel, name: string, jobs: DeliveryJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 1_000) {
      const added = this.queues[channel].addBulk(
        jobs.slice(i, i + 1_000).map((data) => ({
          name,
          data,
          // Completed and failed jobs are dropped: the row keeps the outcome and the error.
          opts: {
            jobId: data.deliveryId,
            attempts: triesOf(this.config.retrySchedule),
            backoff: { type: RETRY_BACKOFF },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
      // A late add is harmless: its job id is the row id.
      added.catch(() => undefined);
      await withDeadline(added, REDIS_COMMAND_TIMEOUT_MS, `queue ${this.queues[channel].name}`);
    }
  }
}
