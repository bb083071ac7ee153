import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import { QUEUE_CLUSTER, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { DeliveryQueues, QUEUE_NAMES } from './delivery-queues';
import { redisConnectionOptions } from './redis-connection-options';

/** BullMQ on REDIS_URL (or the Redis Cluster of REDIS_CLUSTER_NODES) under QUEUE_PREFIX, and the two delivery queues. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [VIGIL_CONFIG, QUEUE_CLUSTER],
      useFactory: (config: VigilConfig, cluster: Cluster | null) => ({
        connection: redisConnectionOptions(config.redisUrl, cluster),
        prefix: config.queuePrefix,
      }),
    }),
    BullModule.registerQueue({ name: QUEUE_NAMES.email }, { name: QUEUE_NAMES.webhook }),
  ],
  providers: [DeliveryQueues],
  exports: [DeliveryQueues, BullModule],
})
export class DeliveryQueuesModule {}
