import { ConfigError } from '@vigil/platform';
import { DEFAULT_SWEEPER_OPTIONS, type SweeperOptions } from './delivery-sweeper';
import { DEFAULT_DELIVERY_SHUTDOWN_OPTIONS, type DeliveryShutdownOptions } from './graceful-stop';
import { DEFAULT_MAIL_DELIVERY_OPTIONS, type MailDeliveryOptions } from './mail-delivery.processor';
import { DEFAULT_WEBHOOK_DELIVERY_OPTIONS, type WebhookDeliveryOptions } from './webhook-delivery.processor';

/** What a worker may set of its deliveries (tests and benches do; the defaults are production's). */
export interface DeliveryOptions {
  sweeper?: Partial<SweeperOptions>;
  webhooks?: Partial<WebhookDeliveryOptions>;
  mail?: Partial<MailDeliveryOptions>;
  shutdown?: Partial<DeliveryShutdownOptions>;
}

export interface DeliverySettings {
  sweeper: SweeperOptions;
  webhooks: WebhookDeliveryOptions;
  mail: MailDeliveryOptions;
  shutdown: DeliveryShutdownOptions;
}

/**
 * A worker's delivery settings, the defaults filled in, checked before anything starts: the sweeper takes a row
 * whose last try is older than its staleness for abandoned and gives it a new job, and only that staleness tells it
 * from a send still in a worker's hand (Redis may have lost the job). A staleness shorter than a transport's timeout
 * would give a mail or webhook still being sent to another job, and it would go out twice (docs/architecture.md,
 * "Retries and the sweeper"). Throws a ConfigError naming both settings.
 */
export function deliverySettings(options: DeliveryOptions = {}): DeliverySettings {
  const settings: DeliverySettings = {
    sweeper: { ...DEFAULT_SWEEPER_OPTIONS, ...options.sweeper },
    webhooks: { ...DEFAULT_WEBHOOK_DELIVERY_OPTIONS, ...options.webhooks },
    mail: { ...DEFAULT_MAIL_DELIVERY_OPTIONS, ...options.mail },
    shutdown: { ...DEFAULT_DELIVERY_SHUTDOWN_OPTIONS, ...options.shutdown },
  };
  const { staleAfterMs } = settings.sweeper;
  const transports = [
    ['webhooks.timeoutMs', settings.webhooks.timeoutMs, 'a webhook'],
    ['mail.timeoutMs', settings.mail.timeoutMs, 'a mail'],
  ] as const;
  for (const [name, timeoutMs, send] of transports) {
    if (staleAfterMs < timeoutMs) {
      throw new ConfigError(
        `sweeper.staleAfterMs (${staleAfterMs} ms) is shorter than ${name} (${timeoutMs} ms): the sweeper would take ` +
          `${send} still being sent for abandoned and send it again. Make the staleness at least the timeout ` +
          `(docs/architecture.md, "Retries and the sweeper").`,
      );
    }
  }
  return settings;
}
