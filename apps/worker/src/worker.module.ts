import { DynamicModule, Module } from '@nestjs/common';
import {
  AlertRouter,
  ConfirmationMails,
  Deliveries,
  DeliveryQueues,
  DeliveryQueuesModule,
  EmailSubscriptions,
  WebhookSubscriptions,
} from '@vigil/alerts';
import {
  DELIVERY_SHUTDOWN_OPTIONS,
  deliverySettings,
  DeliverySweeper,
  MAIL_DELIVERY_OPTIONS,
  MailDeliveryProcessor,
  SWEEPER_OPTIONS,
  WEBHOOK_DELIVERY_OPTIONS,
  WebhookDeliveryProcessor,
  type DeliveryOptions,
} from '@vigil/delivery';
import { PlatformModule, type Logger, type Metrics, type VigilConfig } from '@vigil/platform';
import { createProjections } from '@vigil/projections';
import { CONSUMERS, ConsumerHost } from './consumer-host';
import { UnconfirmedPurge } from './unconfirmed-purge';
import { WorkerOperationsModule } from './operations/worker-operations.module';

export interface WorkerOptions extends DeliveryOptions {
  /** The interface of the health and metrics port (WORKER_PORT); every one by default. */
  httpHost?: string;
}

/**
 * The worker: consumers of the log (projections, alert routing) and delivery processors, with its health
 * and metrics on a port of its own (operations/).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: VigilConfig, logger: Logger, metrics?: Metrics, options: WorkerOptions = {}): DynamicModule {
    // Checked here, before anything starts: a sweeper that outlasts no send is a startup error (ConfigError).
    const delivery = deliverySettings(options);
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, logger, metrics, 'vigil-worker'),
        DeliveryQueuesModule,
        WorkerOperationsModule.forRoot(options.httpHost),
      ],
      providers: [
        {
          provide: CONSUMERS,
          inject: [DeliveryQueues],
          useFactory: (queues: DeliveryQueues) => [...createProjections(), new AlertRouter(queues)],
        },
        ConsumerHost,
        Deliveries,
        ConfirmationMails,
        { provide: DELIVERY_SHUTDOWN_OPTIONS, useValue: delivery.shutdown },
        { provide: MAIL_DELIVERY_OPTIONS, useValue: delivery.mail },
        MailDeliveryProcessor,
        WebhookSubscriptions,
        { provide: WEBHOOK_DELIVERY_OPTIONS, useValue: delivery.webhooks },
        WebhookDeliveryProcessor,
        { provide: SWEEPER_OPTIONS, useValue: delivery.sweeper },
        DeliverySweeper,
        EmailSubscriptions,
        UnconfirmedPurge,
      ],
      exports: [ConsumerHost, DeliverySweeper],
    };
  }
}
