import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { RecentValue, type ErrorReporter, type Metrics } from '@vigil/platform';
import { readConsumerStatus } from './consumer-status';

/** The lag is read with a count per consumer: at most once per this long, whatever the scrape rate. */
export const CONSUMER_LAG_MAX_AGE_MS = 5_000;

export interface ConsumerLagOptions {
  maxAgeMs?: number;
  /** The clock of the cache, for tests. */
  now?: () => number;
}

/**
 * `vigil_consumer_lag{consumer}`, read from PostgreSQL, so any process (API or worker) can serve it. Scrapes
 * within CONSUMER_LAG_MAX_AGE_MS of each other, and scrapes that arrive together, share one reading. While
 * the database is away the gauge has no samples (`absent()` in an alert rule sees it) and the rest of the
 * registry is still served; the failure goes to the ErrorReporter.
 */
export class ConsumerLagGauge {
  constructor(
    metrics: Metrics,
    pool: Pool,
    names: () => string[],
    errors: ErrorReporter,
    { maxAgeMs = CONSUMER_LAG_MAX_AGE_MS, now }: ConsumerLagOptions = {},
  ) {
    const lags = new RecentValue(() => readConsumerStatus(pool, names()), maxAgeMs, now);
    new Gauge({
      name: 'vigil_consumer_lag',
      help: 'Committed events a projection or the alert router has not applied yet (read at most every 5 s)',
      labelNames: ['consumer'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        try {
          for (const consumer of await lags.get()) this.set({ consumer: consumer.name }, consumer.lag);
        } catch (error) {
          errors.report('metrics:consumer-lag', error);
        }
      },
    });
  }
}
