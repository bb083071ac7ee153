import type { ConfirmationContent } from '@vigil/alerts';
import type { VigilConfig } from '@vigil/platform';
import { renderConfirmationMail } from './mail/confirmation-mail';
import { sendMail, type MailTransport } from './mail/mail-transport';

/**
 * Sends the one mail an unconfirmed address may receive: the link to confirm the subscription. The worker
 * sends it from a confirmation_mails row (MailDeliveryProcessor); its Message-ID is that row's id, the
 * same on every try.
 */
export async function sendConfirmationMail(
  transport: MailTransport,
  config: Pick<VigilConfig, 'publicBaseUrl' | 'mailFrom'>,
  mail: { id: string; to: string; content: ConfirmationContent },
): Promise<void> {
  const { token, watch, types, language = 'en' } = mail.content;
  const confirmUrl = `${config.publicBaseUrl}/v1/subscriptions/confirm?token=${encodeURIComponent(token)}&lang=${language}`;
  await sendMail(transport, {
    from: config.mailFrom,
    to: mail.to,
    ...renderConfirmationMail({ confirmUrl, watch, types, language }),
    messageId: `<confirm-${mail.id}@${new URL(config.publicBaseUrl).hostname}>`,
    headers: {},
  });
}
