export { deliverySettings } from './delivery-settings';
export type { DeliveryOptions, DeliverySettings } from './delivery-settings';
export { DEFAULT_SWEEPER_OPTIONS, DeliverySweeper, SWEEPER_OPTIONS } from './delivery-sweeper';
export type { SweeperOptions } from './delivery-sweeper';
export { DEFAULT_DELIVERY_SHUTDOWN_OPTIONS, DELIVERY_SHUTDOWN_OPTIONS } from './graceful-stop';
export type { DeliveryShutdownOptions } from './graceful-stop';
export { DEFAULT_MAIL_DELIVERY_OPTIONS, MAIL_DELIVERY_OPTIONS, MailDeliveryProcessor } from './mail-delivery.processor';
export type { MailDeliveryOptions } from './mail-delivery.processor';
export { createMailTransport, sendMail } from './mail/mail-transport';
export { signStandardWebhook, verifyStandardWebhook, WebhookVerificationError } from './standard-webhook';
export {
  DEFAULT_WEBHOOK_DELIVERY_OPTIONS,
  WEBHOOK_DELIVERY_OPTIONS,
  WebhookDeliveryProcessor,
  webhookBody,
} from './webhook-delivery.processor';
export type { WebhookDeliveryOptions } from './webhook-delivery.processor';
export { postWebhook } from './webhook/post-webhook';
export { parseWebhookUrl, resolveWebhookTarget, UnsafeWebhookTargetError } from './webhook/webhook-target';
