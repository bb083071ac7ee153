import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import {
  Deliveries,
  QUEUE_NAMES,
  retryBackoff,
  triesOf,
  WebhookSubscriptions,
  type DeliveryJob,
  type DeliveryRow,
} from '@vigil/alerts';
import { ErrorReporter, LOGGER, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { recordDelivered, recordFailedTry } from './delivery-outcome';
import { DELIVERY_SHUTDOWN_OPTIONS, handBackCutSend, stopWorker, type DeliveryShutdownOptions } from './graceful-stop';
import { signStandardWebhook } from './standard-webhook';
import { postWebhook } from './webhook/post-webhook';
import { EndpointSlots } from './webhook/endpoint-slots';
import { UnsafeWebhookTargetError } from './webhook/webhook-target';

export interface WebhookDeliveryOptions {
  /** The whole exchange, connect to last byte: 10 s (docs/api.md, "What a watcher receives"). */
  timeoutMs: number;
}

export const WEBHOOK_DELIVERY_OPTIONS = Symbol('WEBHOOK_DELIVERY_OPTIONS');
export const DEFAULT_WEBHOOK_DELIVERY_OPTIONS: WebhookDeliveryOptions = { timeoutMs: 10_000 };

/** At most this many requests in flight to one endpoint: a slow partner must not hold the others back. */
const PER_ENDPOINT = 8;
/** A job for a busy endpoint waits this long in the worker for a free slot, then steps aside (delayed). */
const BUSY_ENDPOINT_WAIT_MS = 250;
const BUSY_ENDPOINT_DELAY_MS = 100;

/** The body of docs/api.md, the same on every try: its timestamp is when the alert was routed. */
export function webhookBody(delivery: DeliveryRow): string {
  const { incident, matched } = delivery.payload;
  return JSON.stringify({
    type: delivery.alertType,
    timestamp: delivery.createdAt.toISOString(),
    data: { incident, matched },
  });
}

/**
 * Posts signed alerts to partner systems. `webhook-id` is the delivery id, so a receiver can drop a retry
 * it has already seen. A 2xx is delivered; a 410 disables the subscription; anything else, a timeout or
 * a refused connection is tried again per RETRY_SCHEDULE. The outcome is recorded apart from the post: an
 * accepted alert is never posted again because its record failed. On shutdown the worker takes no new job,
 * lets the posts in hand finish until a deadline, then cuts them: a cut post uses no try and its job goes
 * back to the queue (docs/architecture.md, "Shutdown").
 */
// A job whose worker died is taken up again once its 15 s lock lapses (checked every 5 s), not after BullMQ's 30 s.
@Processor(QUEUE_NAMES.webhook, { concurrency: 32, autorun: false, lockDuration: 15_000, stalledInterval: 5_000 })
export class WebhookDeliveryProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly slots = new EndpointSlots(PER_ENDPOINT, PER_ENDPOINT);
  /** Aborted once the shutdown deadline has passed: the posts still in flight are cut. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly deliveries: Deliveries,
    private readonly subscriptions: WebhookSubscriptions,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(WEBHOOK_DELIVERY_OPTIONS) private readonly options: WebhookDeliveryOptions,
    @Inject(DELIVERY_SHUTDOWN_OPTIONS) private readonly shutdown: DeliveryShutdownOptions,
    private readonly errors: ErrorReporter,
  ) {
    super();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await stopWorker(this.worker, this.shutdown.deadlineMs, () => this.stopping.abort());
  }

  onApplicationBootstrap(): void {
    this.worker.opts.settings = {
      ...this.worker.opts.settings,
      backoffStrategy: retryBackoff(this.config.retrySchedule),
    };
    // A job whose keys vanished with Redis, a lost connection: reported, not thrown at an EventEmitter without a listener.
    this.worker.on('error', (error) => this.errors.report('worker:webhook-delivery', error));
    void this.worker.run();
  }

  async process(job: Job<DeliveryJob>, token?: string): Promise<void> {
    // Jobs queued before job data carried the subscription read it from the row.
    const subscriptionId = job.data.subscriptionId ?? (await this.deliveries.find(job.data.deliveryId))?.subscriptionId;
    if (subscriptionId === undefined) return;
    if (!(await this.slots.acquire(subscriptionId, BUSY_ENDPOINT_WAIT_MS))) {
      // Not a try: come back for a free slot of this endpoint while other endpoints' jobs go ahead.
      await job.moveToDelayed(Date.now() + BUSY_ENDPOINT_DELAY_MS, token);
      throw new DelayedError();
    }
    try {
      const delivery = await this.deliveries.startWebhookTry(job.data.deliveryId);
      if (!delivery) return;
      if (!delivery.url || delivery.subscriptionStatus !== 'active') {
        await this.deliveries.failed(delivery.id, 'the webhook subscription is gone or disabled', true);
        return;
      }
      const target = { url: delivery.url, secrets: this.subscriptions.openSecrets(delivery.secrets) };
      if (!(await this.send(delivery, target))) {
        // Cut by the shutdown: not a try. The job waits in the queue for the next worker; the receiver may
        // have seen the request, and drops the next one by its webhook-id if so.
        await handBackCutSend(this.deliveries, delivery.id, job, token);
      }
    } finally {
      this.slots.release(subscriptionId);
    }
  }

  /** Posts and records the outcome; false when the post was cut by the shutdown (nothing recorded). */
  private async send(delivery: DeliveryRow, target: { url: string; secrets: string[] }): Promise<boolean> {
    const attempt = delivery.attempts;
    const tries = triesOf(this.config.retrySchedule);
    const body = webhookBody(delivery);
    const timestamp = Math.floor(Date.now() / 1000);
    // Every valid secret signs, so a receiver mid-rotation accepts the alert with either.
    const signature = target.secrets
      .map((secret) => signStandardWebhook(delivery.id, timestamp, body, secret))
      .join(' ');
    let failure: { error: Error; permanent: boolean; response?: { status: number; body: string } };
    try {
      const response = await postWebhook({
        url: target.url,
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        },
        allowPrivate: this.config.webhookAllowPrivateTargets,
        timeoutMs: this.options.timeoutMs,
        signal: this.stopping.signal,
      });
      if (response.status >= 200 && response.status < 300) {
        const unrecorded = await recordDelivered(this.deliveries, delivery.id, response);
        if (unrecorded) this.errors.report('webhook-delivery:delivered-mark', unrecorded);
        return true;
      }
      if (response.status === 410) await this.subscriptions.disable(delivery.subscriptionId);
      failure = {
        error: new Error(
          response.status === 410
            ? '410 Gone: the subscription is disabled'
            : `the receiver answered ${response.status}`,
        ),
        permanent: response.status === 410,
        response,
      };
    } catch (error) {
      if (this.stopping.signal.aborted) return false;
      // A target that now resolves to a private address is refused for good; an admin may retry it.
      failure = { error: error as Error, permanent: error instanceof UnsafeWebhookTargetError };
    }
    this.logger.warn({ deliveryId: delivery.id, attempt, err: failure.error.message }, 'webhook alert not delivered');
    return recordFailedTry(
      this.deliveries,
      delivery.id,
      attempt,
      tries,
      failure.error,
      failure.permanent,
      failure.response,
    );
  }
}
