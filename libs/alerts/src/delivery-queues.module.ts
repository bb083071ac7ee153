import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { DeliveryQueues, QUEUE_NAMES } from './delivery-queues';
import { redisConnectionOptions } from './redis-connection-options';

/** BullMQ on REDIS_URL under QUEUE_PREFIX, and the two delivery queues. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [VIGIL_CONFIG],
      useFactory: (config: VigilConfig) => ({
        connection: redisConnectionOptions(config.redisUrl),
        prefix: config.queuePrefix,
      }),
    }),
    BullModule.registerQueue({ name: QUEUE_NAMES.email }, { name: QUEUE_NAMES.webhook }),
  ],
  providers: [DeliveryQueues],
  exports: [DeliveryQueues, BullModule],
})
export class DeliveryQueuesModule {}
