import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ErrorReporter, Metrics, PG_POOL } from '@vigil/platform';
import { ConsumerLagGauge } from '@vigil/consumers';
import { LOG_CONSUMERS, type LogConsumers } from './log-consumers';

/** vigil_consumer_lag{consumer} on the API's /metrics: cached, so a scrape does not count the log each time. */
@Injectable()
export class ProjectionLagGauge implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly errors: ErrorReporter,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOG_CONSUMERS) private readonly consumers: LogConsumers,
  ) {}

  onModuleInit(): void {
    new ConsumerLagGauge(this.metrics, this.pool, () => this.consumers.names, this.errors);
  }
}
