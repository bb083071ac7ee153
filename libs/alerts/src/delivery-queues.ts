import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { ErrorReporter, REDIS_COMMAND_TIMEOUT_MS, VIGIL_CONFIG, withDeadline, type VigilConfig } from '@vigil/platform';
import { RETRY_BACKOFF, triesOf } from './retry-schedule';

/**
 * The queue of each channel. A job is a pointer to delivery rows, its data only ids: one row ('deliver', its
 * job id the delivery id) or, for a mail fan-out, a page of rows ('deliver-page', its job id the rows' job_id).
 */
export const QUEUE_NAMES = { email: 'mail-delivery', webhook: 'webhook-delivery' } as const;
export type Channel = keyof typeof QUEUE_NAMES;

/**
 * The name of a job in the mail queue that sends a confirmation mail; its `deliveryId` is then the id of a
 * confirmation_mails row. Alert jobs are named 'deliver' (one row) and PAGE_JOB (a page of rows).
 */
export const CONFIRMATION_JOB = 'confirm';

/** A job of the mail queue that lists a page of delivery rows (docs/decisions/0023-a-job-per-page-of-deliveries.md). */
export const PAGE_JOB = 'deliver-page';

/**
 * Rows per page job. A page is sent concurrently up to the mail transport's limit, so a hundred keep a
 * worker's pool busy while a fan-out of 100,000 is 1,000 jobs instead of 100,000 (Redis runs a script per job).
 */
export const MAIL_PAGE_SIZE = 100;

export interface DeliveryJob {
  deliveryId: string;
  /** Lets a worker hold back a busy endpoint's job before counting a try. Absent on jobs queued by older versions. */
  subscriptionId?: string;
}

/** A page job's data: the rows it owns (their job_id is its job id), each tried by itself. */
export interface DeliveryPageJob {
  deliveryIds: string[];
}

/** What a job is made from: a delivery row's ids. */
export interface QueuedDelivery {
  id: string;
  channel: Channel;
  subscriptionId: string;
  /** The page job that owns the row; absent or null when the row has its own job (id = the delivery id). */
  jobId?: string | null;
}

/**
 * The SQL expression that gives a row inserted by `INSERT … SELECT` its job: mail rows are numbered and put
 * MAIL_PAGE_SIZE to a page named `page-<prefix>-<n>` (`prefix` a parameter holding newPagePrefix()); webhook
 * rows keep a job each (NULL), so that a slow endpoint holds back only its own deliveries (EndpointSlots).
 * Job ids hold no ':' (BullMQ refuses them).
 */
export const pageJobIdSql = (channel: string, prefix: string): string =>
  `CASE WHEN ${channel} = 'email' THEN 'page-' || ${prefix}::text || '-' ||
          ((row_number() OVER (PARTITION BY ${channel}) - 1) / ${MAIL_PAGE_SIZE}) END`;

/** A fresh prefix for the page job ids of one statement. */
export const newPagePrefix = (): string => randomUUID();

/**
 * The jobs of rows given new ones outside SQL (the sweeper's orphans): mail rows put MAIL_PAGE_SIZE to a page
 * under a fresh prefix, as pageJobIdSql does; other rows their own job (null).
 */
export function pageJobIds(deliveries: Pick<QueuedDelivery, 'channel'>[]): (string | null)[] {
  const prefix = newPagePrefix();
  let mails = 0;
  return deliveries.map(({ channel }) =>
    channel === 'email' ? `page-${prefix}-${Math.floor(mails++ / MAIL_PAGE_SIZE)}` : null,
  );
}

/** The job that owns a row: its page, or its own. */
export const ownerOf = (delivery: Pick<QueuedDelivery, 'id' | 'jobId'>): string => delivery.jobId ?? delivery.id;

/** Producer side of the delivery queues: the alert router, the sweeper and the admin retry add jobs here. */
@Injectable()
export class DeliveryQueues {
  readonly queues: Record<Channel, Queue<DeliveryJob | DeliveryPageJob>>;

  constructor(
    @InjectQueue(QUEUE_NAMES.email) email: Queue<DeliveryJob | DeliveryPageJob>,
    @InjectQueue(QUEUE_NAMES.webhook) webhook: Queue<DeliveryJob | DeliveryPageJob>,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    errors: ErrorReporter,
  ) {
    this.queues = { email, webhook };
    // A queue reports its connection's trouble here; without a listener it would go to the console unseen.
    for (const queue of [email, webhook]) queue.on('error', (error) => errors.report(`queue:${queue.name}`, error));
  }

  /**
   * Adds the job of each delivery: its page's (one job for all the rows of a page) or its own. A job id
   * still in the queue is not added twice (BullMQ keeps one job per id), so the sweeper may re-add what it
   * finds pending without sending anything twice. While Redis is away this fails after a bounded wait
   * (DependencyUnavailableError) instead of hanging until it returns: the delivery rows are durable, and
   * the sweeper queues whatever could not be queued now.
   */
  async enqueue(deliveries: QueuedDelivery[]): Promise<void> {
    for (const channel of Object.keys(this.queues) as Channel[]) {
      const own = deliveries.filter((d) => d.channel === channel && !d.jobId);
      await this.add(
        channel,
        own.map((d) => ({ name: 'deliver', id: d.id, data: { deliveryId: d.id, subscriptionId: d.subscriptionId } })),
      );
      const pages = new Map<string, string[]>();
      for (const d of deliveries) {
        if (d.channel !== channel || !d.jobId) continue;
        const page = pages.get(d.jobId);
        if (page) page.push(d.id);
        else pages.set(d.jobId, [d.id]);
      }
      await this.add(
        channel,
        [...pages].map(([id, deliveryIds]) => ({ name: PAGE_JOB, id, data: { deliveryIds } })),
      );
    }
  }

  /** Adds the job of each confirmation mail (by its row id) to the mail queue, as `enqueue` does for alerts. */
  async enqueueConfirmations(ids: string[]): Promise<void> {
    await this.add(
      'email',
      ids.map((id) => ({ name: CONFIRMATION_JOB, id, data: { deliveryId: id } })),
    );
  }

  private async add(
    channel: Channel,
    jobs: { name: string; id: string; data: DeliveryJob | DeliveryPageJob }[],
  ): Promise<void> {
    for (let i = 0; i < jobs.length; i += 1_000) {
      const added = this.queues[channel].addBulk(
        jobs.slice(i, i + 1_000).map(({ name, id, data }) => ({
          name,
          data,
          // Completed and failed jobs are dropped: the row keeps the outcome and the error.
          opts: {
            jobId: id,
            attempts: triesOf(this.config.retrySchedule),
            backoff: { type: RETRY_BACKOFF },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
      // A late add is harmless: its job id is the row's (or its page's).
      added.catch(() => undefined);
      await withDeadline(added, REDIS_COMMAND_TIMEOUT_MS, `queue ${this.queues[channel].name}`);
    }
  }
}
