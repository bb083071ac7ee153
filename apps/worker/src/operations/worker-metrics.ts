import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DeliveryQueues, PAGE_JOB, type Channel, type DeliveryPageJob } from '@vigil/alerts';
import { ConsumerLagGauge } from '@vigil/consumers';
import { MailDeliveryProcessor, WebhookDeliveryProcessor } from '@vigil/delivery';
import { ErrorReporter, Metrics, PG_POOL, REDIS_COMMAND_TIMEOUT_MS, withDeadline } from '@vigil/platform';
import { ConsumerHost } from '../consumer-host';

/** The job states a queue's depth is read in; finished jobs are removed (the delivery row keeps the outcome). */
const QUEUE_STATES = ['wait', 'prioritized', 'delayed', 'active'] as const;

/**
 * What only the worker knows, in its registry (served on WORKER_PORT): the depth of both delivery queues,
 * how delivery jobs end, and the consumers' lag. Background errors are the platform's counter, already there.
 */
@Injectable()
export class WorkerMetrics implements OnApplicationBootstrap {
  private readonly outcomes: Counter<'channel' | 'outcome'>;

  constructor(
    private readonly metrics: Metrics,
    private readonly errors: ErrorReporter,
    private readonly queues: DeliveryQueues,
    private readonly moduleRef: ModuleRef,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {
    const { queues: byChannel } = queues;
    new Gauge({
      name: 'vigil_delivery_queue_jobs',
      help: 'Delivery jobs in a queue, by queue and state (wait, prioritized, delayed, active)',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        try {
          for (const queue of Object.values(byChannel)) {
            const counts = await withDeadline(
              queue.getJobCounts(...QUEUE_STATES),
              REDIS_COMMAND_TIMEOUT_MS,
              `queue ${queue.name}`,
            );
            for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
          }
        } catch (error) {
          // While Redis is away the gauge has no samples; the rest of the registry is still served.
          errors.report('metrics:queue-depth', error);
        }
      },
    });
    this.outcomes = new Counter({
      name: 'vigil_delivery_jobs_total',
      help: 'Delivery jobs that ended, by channel and outcome: completed (delivered, or nothing left to send), retried, dead; a page of deliveries counts once per row',
      labelNames: ['channel', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    const host = this.moduleRef.get(ConsumerHost, { strict: false });
    // Which consumers this process leads: across the workers, each consumer has one leader at a time.
    new Gauge({
      name: 'vigil_consumer_leader',
      help: 'Whether this worker process holds the lock of a consumer of the log (1) or follows (0)',
      labelNames: ['consumer'] as const,
      registers: [this.metrics.registry],
      collect() {
        for (const runner of host.runners) this.set({ consumer: runner.consumer.name }, runner.isLeader ? 1 : 0);
      },
    });
    new ConsumerLagGauge(
      this.metrics,
      this.pool,
      () => host.runners.map((runner) => runner.consumer.name),
      this.errors,
    );
    this.countOutcomes('email', this.moduleRef.get(MailDeliveryProcessor, { strict: false }).worker);
    this.countOutcomes('webhook', this.moduleRef.get(WebhookDeliveryProcessor, { strict: false }).worker);
  }

  /**
   * Read from the BullMQ worker's events, so the processors stay as they are: a job that failed is
   * `dead` when it will not run again (its last try, or a permanent failure), else `retried`. A page that
   * fails is retried for the rows still to send among its own; it counts all its rows, as when it completes.
   */
  private countOutcomes(channel: Channel, worker: Worker): void {
    // A page job (decision 0023) counts once per row it lists: the figure stays one per delivery.
    const rows = (job: Job | undefined) =>
      job?.name === PAGE_JOB ? (job.data as DeliveryPageJob).deliveryIds.length : 1;
    worker.on('completed', (job) => this.outcomes.inc({ channel, outcome: 'completed' }, rows(job)));
    worker.on('failed', (job, error) => {
      const final = error.name === 'UnrecoverableError' || !job || job.attemptsMade >= (job.opts.attempts ?? 1);
      this.outcomes.inc({ channel, outcome: final ? 'dead' : 'retried' }, rows(job));
    });
  }
}
