import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { assertLogNotFromTheFuture, LogListener } from '@vigil/event-store';
import { ErrorReporter, LOGGER, PG_POOL, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { ConsumerRunner, type Consumer } from '@vigil/consumers';

export const CONSUMERS = Symbol('CONSUMERS');

/**
 * Starts a runner per consumer of the log once the app is up, after refusing a log restored into a
 * younger cluster; stops them (and their locks and the LISTEN connection) on shutdown. One LISTEN
 * connection wakes every runner of the process, so a worker holds its pool, one LISTEN session and one
 * lock session per consumer (README, "Connection budget").
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ConsumerRunner[];
  private readonly listener: LogListener;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(CONSUMERS) consumers: Consumer[],
    errors: ErrorReporter,
  ) {
    this.runners = consumers.map(
      (consumer) =>
        new ConsumerRunner(pool, consumer, { databaseUrl: config.databaseUrl, logger, errors, ownListener: false }),
    );
    this.listener = new LogListener(
      // Polling goes on until the LISTEN connection is back.
      { databaseUrl: config.databaseUrl, onError: (error) => errors.report('log-listener', error) },
      () => this.runners.forEach((runner) => runner.wake()),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await assertLogNotFromTheFuture(this.pool);
    await Promise.all(this.runners.map((runner) => runner.start()));
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
