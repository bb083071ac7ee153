import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LOGGER, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { renderConfirmationMail } from './mail/confirmation-mail';
import { createMailTransport, sendMail } from './mail/mail-transport';

/** Sends the one mail an unconfirmed address may receive: the link to confirm the subscription. */
@Injectable()
export class ConfirmationMailer implements OnApplicationShutdown {
  private readonly transport: ReturnType<typeof createMailTransport>;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.transport = createMailTransport(config.smtpUrl);
  }

  async send(
    to: string,
    token: string,
    watch: { persons: string[]; organizations: string[] },
    types?: string[],
  ): Promise<void> {
    const confirmUrl = `${this.config.publicBaseUrl}/v1/subscriptions/confirm?token=${encodeURIComponent(token)}`;
    const mail = renderConfirmationMail({ confirmUrl, watch, types });
    await sendMail(this.transport, {
      from: this.config.mailFrom,
      to,
      ...mail,
      messageId: `<confirm-${randomUUID()}@${new URL(this.config.publicBaseUrl).hostname}>`,
      headers: {},
    });
    this.logger.info('confirmation mail sent');
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
