import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  Optional,
  type Provider,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { VigilConfig } from './config/vigil-config';
import { GENERIC_PLAN_POOL, createGenericPlanPool, type GenericPlanPool } from './database/generic-plan-pool';
import { ordinaryPoolSize } from './database/connection-budget';
import { PG_POOL, createPgPool } from './database/pg-pool';
import { ErrorReporter } from './observability/error-reporter';
import { Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import type { Cluster } from 'ioredis';
import { REDIS, createRedisClient, createRedisCluster, type RedisClient } from './redis/redis-connection';

export const VIGIL_CONFIG = Symbol('VIGIL_CONFIG');
export const LOGGER = Symbol('LOGGER');
/**
 * With REDIS_CLUSTER_NODES: the one Cluster connection BullMQ's queues and workers share (each worker
 * duplicates it for its blocking reads), else null. Owned here so it closes after every queue and worker:
 * this global module shuts down last.
 */
export const QUEUE_CLUSTER = Symbol('QUEUE_CLUSTER');

@Injectable()
class PlatformShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Optional() @Inject(GENERIC_PLAN_POOL) private readonly genericPlanPool: GenericPlanPool | undefined,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(QUEUE_CLUSTER) private readonly queueCluster: Cluster | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([
      this.pool.end(),
      this.genericPlanPool?.end(),
      this.redis.quit(),
      this.queueCluster?.quit(),
    ]);
  }
}

/** Config, the Postgres pools, Redis, metrics and the logger: built once per process, closed on shutdown. */
@Global()
@Module({})
export class PlatformModule {
  /** `applicationName` names the pool's sessions in pg_stat_activity (vigil-api, vigil-worker): the connection budget counts by it. */
  static forRoot(
    config: VigilConfig,
    logger: Logger,
    metrics = new Metrics(),
    applicationName = 'vigil',
    /** Sessions of DATABASE_POOL_SIZE that plan generically (the API's search, decision 0028); the rest pool as usual. */
    genericPlanSessions = 0,
  ): DynamicModule {
    // The API's search and suggestions plan generically on a pool of its own, opened on first use (decision
    // 0028). A process without such sessions (the worker) gets no such pool: nothing of it would use one.
    const genericPlanPool: Provider[] = genericPlanSessions
      ? [
          {
            provide: GENERIC_PLAN_POOL,
            inject: [ErrorReporter],
            useFactory: (errors: ErrorReporter) =>
              createGenericPlanPool(
                config.databaseUrl,
                applicationName,
                genericPlanSessions,
                config.databaseTimeouts,
              ).on('error', (error) => errors.report('pg-pool', error)),
          },
        ]
      : [];
    return {
      module: PlatformModule,
      providers: [
        { provide: VIGIL_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: Metrics, useValue: metrics },
        { provide: ErrorReporter, useValue: new ErrorReporter(logger, metrics) },
        {
          provide: PG_POOL,
          inject: [ErrorReporter],
          useFactory: (errors: ErrorReporter) =>
            createPgPool(
              config.databaseUrl,
              ordinaryPoolSize(config.databasePoolSize, genericPlanSessions),
              applicationName,
              config.databaseTimeouts,
            ).on('error', (error) => errors.report('pg-pool', error)),
        },
        ...genericPlanPool,
        {
          provide: REDIS,
          inject: [ErrorReporter],
          useFactory: (errors: ErrorReporter) =>
            createRedisClient(config).on('error', (error) => errors.report('redis', error)),
        },
        {
          provide: QUEUE_CLUSTER,
          inject: [ErrorReporter],
          useFactory: (errors: ErrorReporter) =>
            config.redisClusterNodes
              ? // BullMQ's blocking reads must wait for Redis forever (maxRetriesPerRequest: null).
                createRedisCluster(config.redisClusterNodes, config.redisUrl, { maxRetriesPerRequest: null }).on(
                  'error',
                  (error) => errors.report('queue-cluster', error),
                )
              : null,
        },
        PlatformShutdown,
      ],
      exports: [
        VIGIL_CONFIG,
        LOGGER,
        Metrics,
        ErrorReporter,
        PG_POOL,
        ...(genericPlanSessions ? [GENERIC_PLAN_POOL] : []),
        REDIS,
        QUEUE_CLUSTER,
      ],
    };
  }
}
