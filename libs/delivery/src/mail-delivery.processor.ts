import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job } from 'bullmq';
import {
  CONFIRMATION_JOB,
  ConfirmationMails,
  Deliveries,
  QUEUE_NAMES,
  retryBackoff,
  triesOf,
  type ConfirmationContent,
  type DeliveryJob,
  type MailTry,
} from '@vigil/alerts';
import { ErrorReporter, LOGGER, SecretBox, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { sendConfirmationMail } from './confirmation-mailer';
import { recordDelivered, recordFailedTry, type OutcomeRecord } from './delivery-outcome';
import { DELIVERY_SHUTDOWN_OPTIONS, handBackCutSend, stopWorker, type DeliveryShutdownOptions } from './graceful-stop';
import { renderAlertMail, renderMinimalAlertMail } from './mail/alert-mail';
import {
  classifySmtpError,
  createMailTransport,
  messageIdFor,
  sendMail,
  unsubscribeHeaders,
} from './mail/mail-transport';

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
    private readonly errors: ErrorReporter,
  ) {
    super();
    this.transport = createMailTransport(config.smtpUrl);
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

  async process(job: Job<DeliveryJob>, token?: string): Promise<void> {
    if (job.name === CONFIRMATION_JOB) return this.processConfirmation(job, token);
    // Counting the try, loading the row and its recipient are one statement; nothing for a finished delivery.
    const delivery = await this.deliveries.startMailTry(job.data.deliveryId);
    if (!delivery) return;
    const recipient = {
      email: delivery.email,
      status: delivery.subscriptionStatus,
      unsubscribeTokenBox: delivery.unsubscribeTokenBox,
    };
    if (!recipient.email || recipient.status !== 'active' || !recipient.unsubscribeTokenBox) {
      await this.deliveries.failed(delivery.id, 'the subscription has ended', true);
      return;
    }
    const { email, unsubscribeTokenBox } = recipient;
    await this.attempt(job, token, this.deliveries, delivery.id, delivery.attempts, () =>
      this.send(delivery, email, this.box.open(unsubscribeTokenBox)),
    );
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
