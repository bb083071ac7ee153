import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { VigilConfig } from './config/vigil-config';
import { PG_POOL, createPgPool } from './database/pg-pool';
import { ErrorReporter } from './observability/error-reporter';
import { Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { REDIS, createRedis } from './redis/redis-connection';

export const VIGIL_CONFIG = Symbol('VIGIL_CONFIG');
export const LOGGER = Symbol('LOGGER');

@Injectable()
class PlatformShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.redis.quit()]);
  }
}

/** Config, the Postgres pool, Redis, metrics and the logger: built once per process, closed on shutdown. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: VigilConfig, logger: Logger, metrics = new Metrics()): DynamicModule {
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
            createPgPool(config.databaseUrl, 20, 'vigil', config.databaseTimeouts).on('error', (error) =>
              errors.report('pg-pool', error),
            ),
        },
        {
          provide: REDIS,
          inject: [ErrorReporter],
          useFactory: (errors: ErrorReporter) =>
            createRedis(config.redisUrl).on('error', (error) => errors.report('redis', error)),
        },
        PlatformShutdown,
      ],
      exports: [VIGIL_CONFIG, LOGGER, Metrics, ErrorReporter, PG_POOL, REDIS],
    };
  }
}
