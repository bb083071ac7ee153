import { DynamicModule, Module } from '@nestjs/common';
import { AlertRouter, Deliveries, DeliveryQueues, DeliveryQueuesModule, WebhookSubscriptions } from '@vigil/alerts';
import {
  DEFAULT_SWEEPER_OPTIONS,
  DEFAULT_WEBHOOK_DELIVERY_OPTIONS,
  DeliverySweeper,
  MailDeliveryProcessor,
  SWEEPER_OPTIONS,
  WEBHOOK_DELIVERY_OPTIONS,
  WebhookDeliveryProcessor,
  type SweeperOptions,
  type WebhookDeliveryOptions,
} from '@vigil/delivery';
import { PlatformModule, type Logger, type Metrics, type VigilConfig } from '@vigil/platform';
import { createProjections } from '@vigil/projections';
import { CONSUMERS, ConsumerHost } from './consumer-host';
import { WorkerOperationsModule } from './operations/worker-operations.module';

export interface WorkerOptions {
  sweeper?: Partial<SweeperOptions>;
  webhooks?: Partial<WebhookDeliveryOptions>;
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
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, logger, metrics),
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
        MailDeliveryProcessor,
        WebhookSubscriptions,
        { provide: WEBHOOK_DELIVERY_OPTIONS, useValue: { ...DEFAULT_WEBHOOK_DELIVERY_OPTIONS, ...options.webhooks } },
        WebhookDeliveryProcessor,
        { provide: SWEEPER_OPTIONS, useValue: { ...DEFAULT_SWEEPER_OPTIONS, ...options.sweeper } },
        DeliverySweeper,
      ],
      exports: [ConsumerHost, DeliverySweeper],
    };
  }
}
