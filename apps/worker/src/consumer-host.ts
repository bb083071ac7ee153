import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { assertLogNotFromTheFuture } from '@vigil/event-store';
import { ErrorReporter, LOGGER, PG_POOL, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { ConsumerRunner, type Consumer } from '@vigil/consumers';

export const CONSUMERS = Symbol('CONSUMERS');

/**
 * Starts a runner per consumer of the log once the app is up, after refusing a log restored into a
 * younger cluster; stops them (and their locks and LISTEN connections) on shutdown.
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ConsumerRunner[];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(CONSUMERS) consumers: Consumer[],
    errors: ErrorReporter,
  ) {
    this.runners = consumers.map(
      (consumer) => new ConsumerRunner(pool, consumer, { databaseUrl: config.databaseUrl, logger, errors }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await assertLogNotFromTheFuture(this.pool);
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
