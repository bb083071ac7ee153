export { ALERT_ROUTER, AlertRouter } from './alert-router';
export { Deliveries } from './deliveries';
export type {
  DeliveryFilter,
  DeliveryListItem,
  DeliveryRow,
  DeliveryStatus,
  MailTry,
  StaleDelivery,
  WebhookTry,
} from './deliveries';
export { CONFIRMATION_JOB, DeliveryQueues, MAIL_PAGE_SIZE, ownerOf, PAGE_JOB, QUEUE_NAMES } from './delivery-queues';
export { ConfirmationMails } from './confirmation-mails';
export type { ConfirmationContent, ConfirmationTry } from './confirmation-mails';
export type { Channel, DeliveryJob, DeliveryPageJob, QueuedDelivery } from './delivery-queues';
export { DeliveryQueuesModule } from './delivery-queues.module';
export { EmailSubscriptions, UNCONFIRMED_KEPT_DAYS } from './email-subscriptions';
export type {
  ManagedSubscription,
  NewEmailSubscription,
  SubscriptionChange,
  SubscriptionView,
} from './email-subscriptions';
export { incidentPayload } from './incident-payload';
export { hashToken, newToken } from './subscription-tokens';
export { SubscriberData } from './subscriber-data';
export type { Watch } from './watch';
export { RETRY_BACKOFF, retryBackoff, triesOf } from './retry-schedule';
export { WebhookSubscriptions } from './webhook-subscriptions';
export type { WebhookSubscriptionView } from './webhook-subscriptions';
export { resealSubscriberData } from './reseal-subscriber-data';
export { holdOffRouting } from './erasure-lock';
export { ALERT_TYPES } from './alert-types';
export type { AlertType, UpdateAlertType } from './alert-types';
export { verificationInWords } from './verification-words';
export type { VerifiedIncident } from './verification-words';
export type { IncidentPayload } from './incident-payload';
export { MAIL_CONTENT_LEVELS } from './mail-choices';
export type { MailContent, MailLanguage } from './mail-choices';
