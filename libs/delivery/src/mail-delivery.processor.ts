import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import {
  CONFIRMATION_JOB,
  ConfirmationMails,
  Deliveries,
  PAGE_JOB,
  QUEUE_NAMES,
  retryBackoff,
  triesOf,
  type ConfirmationContent,
  type DeliveryJob,
  type DeliveryPageJob,
  type MailTry,
} from '@vigil/alerts';
import { ErrorReporter, LOGGER, SecretBox, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { sendConfirmationMail } from './confirmation-mailer';
import { recordDelivered, recordFailedTry, type OutcomeRecord } from './delivery-outcome';
import {
  DELIVERY_SHUTDOWN_OPTIONS,
  handBackCutSend,
  handBackCutSends,
  stopWorker,
  type DeliveryShutdownOptions,
} from './graceful-stop';
import { renderAlertMail, renderMinimalAlertMail } from './mail/alert-mail';
import {
  classifySmtpError,
  createMailTransport,
  MAIL_POOL_CONNECTIONS,
  MAIL_TIMEOUT_MS,
  mailTimeouts,
  messageIdFor,
  sendMail,
  unsubscribeHeaders,
} from './mail/mail-transport';

export interface MailDeliveryOptions {
  /** How long the SMTP transport waits on each phase of a send (connecting, the greeting, each reply). */
  timeoutMs: number;
}

export const MAIL_DELIVERY_OPTIONS = Symbol('MAIL_DELIVERY_OPTIONS');
export const DEFAULT_MAIL_DELIVERY_OPTIONS: MailDeliveryOptions = { timeoutMs: MAIL_TIMEOUT_MS };

/**
 * Sends alert mails, and confirmation mails (jobs named CONFIRMATION_JOB). A job only points at a row (a
 * delivery, a confirmation mail): load it, count the try, send, record the outcome. A 5xx from the SMTP server refuses the address for good and is not retried. The outcome is
 * recorded apart from the send: a mail the server accepted is never sent again because its record failed.
 * On shutdown the worker takes no new job, lets the sends in hand finish until a deadline, then cuts them:
 * a cut send uses no try and its job goes back to the queue (docs/architecture.md, "Shutdown").
 */
// A job whose worker died is taken up again once its 15 s lock lapses (checked every 5 s), not after BullMQ's 30 s.
@Processor(QUEUE_NAMES.email, { concurrency: 16, autorun: false, lockDuration: 15_000, stalledInterval: 5_000 })
export class MailDeliveryProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly transport: ReturnType<typeof createMailTransport>;
  private readonly box: SecretBox;
  /** Set once the shutdown deadline has passed: a send that fails now was cut, not refused. */
  private cutting = false;

  constructor(
    private readonly deliveries: Deliveries,
    private readonly confirmations: ConfirmationMails,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DELIVERY_SHUTDOWN_OPTIONS) private readonly shutdown: DeliveryShutdownOptions,
    @Inject(MAIL_DELIVERY_OPTIONS) options: MailDeliveryOptions,
    private readonly errors: ErrorReporter,
  ) {
    super();
    this.transport = createMailTransport(config.smtpUrl, mailTimeouts(options.timeoutMs));
    this.box = new SecretBox(config.secretsKey, config.previousSecretsKeys);
  }

  onApplicationBootstrap(): void {
    // The backoff depends on RETRY_SCHEDULE, known only at run time: set it before the worker takes a job.
    this.worker.opts.settings = {
      ...this.worker.opts.settings,
      backoffStrategy: retryBackoff(this.config.retrySchedule),
    };
    // A job whose keys vanished with Redis, a lost connection: reported, not thrown at an EventEmitter without a listener.
    this.worker.on('error', (error) => this.errors.report('worker:mail-delivery', error));
    void this.worker.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await stopWorker(this.worker, this.shutdown.deadlineMs, () => {
      this.cutting = true;
      // Closes the connections in the middle of a delivery too: their sends fail before the server's answer.
      (this.transport.close as (options: { force: boolean }) => void)({ force: true });
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }

  async process(job: Job<DeliveryJob | DeliveryPageJob>, token?: string): Promise<void> {
    if (job.name === CONFIRMATION_JOB) return this.processConfirmation(job as Job<DeliveryJob>, token);
    if (job.name === PAGE_JOB) return this.processPage(job as Job<DeliveryPageJob>, token);
    // One delivery (its job id is the row's): as queued for a webhook-less retry, by the sweeper before
    // pages, or by an older version.
    const { deliveryId } = job.data as DeliveryJob;
    const delivery = await this.startAlert(deliveryId, deliveryId);
    if (!delivery) return;
    await this.attempt(job as Job<DeliveryJob>, token, this.deliveries, delivery.row.id, delivery.row.attempts, () =>
      this.send(delivery.row, delivery.email, this.box.open(delivery.unsubscribeTokenBox)),
    );
  }

  /**
   * A page of deliveries (decision 0023): its rows are tried one by one, each claimed, sent and recorded by
   * itself as a single job's row is, MAIL_POOL_CONNECTIONS at a time so that the transport's pool stays busy;
   * their claims and marks share statements with the other pages' (WriteBatcher). A row the page no longer
   * owns (an admin retry gave it its own job) or that is finished is skipped. A failed try is recorded on its
   * row; if any may be tried again the page fails, and BullMQ tries it again after the schedule's wait: its
   * delivered and dead rows are then skipped. A worker killed mid-page leaves the page to another after its
   * lock lapses, which tries only what is still to send. Cut by the shutdown, its cut sends are handed back
   * and the page goes back to the queue.
   */
  private async processPage(job: Job<DeliveryPageJob>, token?: string): Promise<void> {
    const ids = job.data.deliveryIds;
    const owner = job.id!;
    const cut: string[] = [];
    let retry: Error | undefined;
    let next = 0;
    const lane = async () => {
      while (next < ids.length && !this.cutting) {
        const id = ids[next++];
        try {
          const outcome = await this.sendPageRow(id, owner);
          if (outcome === 'cut') cut.push(id);
          else if (outcome) retry ??= outcome;
        } catch (error) {
          // The row's claim or record failed (PostgreSQL away): the page is tried again later.
          retry ??= error as Error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAIL_POOL_CONNECTIONS, ids.length) }, lane));
    // Cut, or stopped before its last rows: what was cut is handed back, the page waits for the next worker.
    if (this.cutting && (cut.length || next < ids.length)) return handBackCutSends(this.deliveries, cut, job, token);
    if (retry) throw retry;
  }

  /** One row of a page: 'cut' when the shutdown cut its send, the error when it may be tried again. */
  private async sendPageRow(id: string, owner: string): Promise<'cut' | Error | undefined> {
    const delivery = await this.startAlert(id, owner);
    if (!delivery) return undefined;
    try {
      await this.send(delivery.row, delivery.email, this.box.open(delivery.unsubscribeTokenBox));
    } catch (error) {
      if (this.cutting) return 'cut';
      const attempt = delivery.row.attempts;
      this.logger.warn({ deliveryId: id, job: PAGE_JOB, attempt, err: (error as Error).message }, 'mail not sent');
      try {
        await recordFailedTry(
          this.deliveries,
          id,
          attempt,
          triesOf(this.config.retrySchedule),
          error as Error,
          classifySmtpError(error) === 'permanent',
        );
      } catch (outcome) {
        // recordFailedTry always throws: UnrecoverableError when the row is dead, the error when it is not.
        return outcome instanceof UnrecoverableError ? undefined : (outcome as Error);
      }
    }
    const unrecorded = await recordDelivered(this.deliveries, id);
    if (unrecorded) this.errors.report('mail-delivery:delivered-mark', unrecorded);
    return undefined;
  }

  /**
   * Counts a try of an alert and loads the row with its recipient in one statement (nothing for a finished
   * row, or one `owner` does not own); a subscription that ended makes the row dead instead.
   */
  private async startAlert(
    id: string,
    owner: string,
  ): Promise<{ row: MailTry; email: string; unsubscribeTokenBox: string } | undefined> {
    const delivery = await this.deliveries.startMailTry(id, owner);
    if (!delivery) return undefined;
    const { email, subscriptionStatus, unsubscribeTokenBox } = delivery;
    if (!email || subscriptionStatus !== 'active' || !unsubscribeTokenBox) {
      await this.deliveries.failed(delivery.id, 'the subscription has ended', true);
      return undefined;
    }
    return { row: delivery, email, unsubscribeTokenBox };
  }

  /** A confirmation mail: only while its subscription waits for confirmation; the link's token is in the row. */
  private async processConfirmation(job: Job<DeliveryJob>, token?: string): Promise<void> {
    const mail = await this.confirmations.startTry(job.data.deliveryId);
    if (!mail) return;
    const { email } = mail;
    if (!email || mail.subscriptionStatus !== 'pending') {
      await this.confirmations.failed(mail.id, 'the subscription no longer waits for confirmation', true);
      return;
    }
    const content = JSON.parse(this.box.open(mail.contentBox)) as ConfirmationContent;
    await this.attempt(job, token, this.confirmations, mail.id, mail.attempts, () =>
      sendConfirmationMail(this.transport, this.config, { id: mail.id, to: email, content }),
    );
  }

  /**
   * Makes one counted try and records its outcome apart from it. A send cut by the shutdown is handed
   * back: no try used, the job back in the queue for the next worker.
   */
  private async attempt(
    job: Job<DeliveryJob>,
    token: string | undefined,
    record: OutcomeRecord,
    id: string,
    attempt: number,
    send: () => Promise<void>,
  ): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (this.cutting) return handBackCutSend(record, id, job, token);
      this.logger.warn({ deliveryId: id, job: job.name, attempt, err: (error as Error).message }, 'mail not sent');
      await recordFailedTry(
        record,
        id,
        attempt,
        triesOf(this.config.retrySchedule),
        error as Error,
        classifySmtpError(error) === 'permanent',
      );
    }
    const unrecorded = await recordDelivered(record, id);
    if (unrecorded) this.errors.report('mail-delivery:delivered-mark', unrecorded);
  }

  /**
   * The manage page's link carries the same token as the unsubscribe link: one secret per subscription, mailed
   * only to its address. A `minimal` subscriber's mail names no one; the page behind the link shows the alert.
   */
  private async send(delivery: MailTry, to: string, unsubscribeToken: string): Promise<void> {
    const token = encodeURIComponent(unsubscribeToken);
    const { language, content } = delivery;
    const unsubscribeUrl = `${this.config.publicBaseUrl}/v1/subscriptions/unsubscribe?token=${token}&lang=${language}`;
    const manageUrl = `${this.config.publicBaseUrl}/manage?token=${token}&lang=${language}`;
    const { incident, watched } = delivery.payload;
    const mail =
      content === 'minimal'
        ? renderMinimalAlertMail({ manageUrl, unsubscribeUrl, language })
        : renderAlertMail({
            alertType: delivery.alertType,
            // The payload is the incident as routed; the template wants its date with the precision.
            incident: { ...incident, occurredOn: incident.occurredOnDetail } as unknown as Parameters<
              typeof renderAlertMail
            >[0]['incident'],
            watched,
            unsubscribeUrl,
            manageUrl,
            language,
          });
    await sendMail(this.transport, {
      from: this.config.mailFrom,
      to,
      ...mail,
      messageId: messageIdFor(delivery.id, this.config.publicBaseUrl),
      headers: unsubscribeHeaders(unsubscribeUrl),
    });
  }
}
