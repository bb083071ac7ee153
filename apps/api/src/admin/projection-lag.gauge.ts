import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { Metrics, PG_POOL } from '@vigil/platform';
import { readLogStatus } from '@vigil/consumers';
import { LOG_CONSUMERS, type LogConsumers } from './log-consumers';

/** vigil_consumer_lag{consumer}: read from Postgres at scrape time, so any API instance can serve it. */
@Injectable()
export class ProjectionLagGauge implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOG_CONSUMERS) private readonly consumers: LogConsumers,
  ) {}

  onModuleInit(): void {
    const { pool, consumers } = this;
    new Gauge({
      name: 'vigil_consumer_lag',
      help: 'Committed events a projection or the alert router has not applied yet',
      labelNames: ['consumer'] as const,
      registers: [this.metrics.registry],
      async collect() {
        const status = await readLogStatus(pool, consumers.names);
        for (const consumer of status.consumers) this.set({ consumer: consumer.name }, consumer.lag);
      },
    });
  }
}
