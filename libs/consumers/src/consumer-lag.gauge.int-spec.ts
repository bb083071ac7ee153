import type { Pool } from 'pg';
import { createLogger, ErrorReporter, Metrics } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ConsumerLagGauge } from './consumer-lag.gauge';

/** The pool, counting the statements that go through it (a wrapper, not a mock: every statement runs). */
function countingPool(pool: Pool): { pool: Pool; statements: () => number } {
  let count = 0;
  const counted = new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return (...args: unknown[]) => {
          count++;
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { pool: counted, statements: () => count };
}

describe(ConsumerLagGauge.name, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO events (stream_id, version, type, schema_version, data) VALUES ('s', 1, 'T', 1, '{}')`,
    );
  });
  afterAll(() => db.drop());

  const errors = new ErrorReporter(createLogger('lag-test', 'silent'));

  it('reads the log once for any number of scrapes within its age, together or one after another', async () => {
    const metrics = new Metrics(false);
    const { pool, statements } = countingPool(db.pool);
    let clock = 0;
    new ConsumerLagGauge(metrics, pool, () => ['persons', 'alert-router'], errors, { now: () => clock });

    const first = await metrics.registry.metrics();
    expect(first).toMatch(/vigil_consumer_lag\{consumer="persons"\} 1/);
    const perReading = statements();
    expect(perReading).toBeGreaterThan(0);

    await Promise.all(Array.from({ length: 5 }, () => metrics.registry.metrics()));
    clock = 4_999;
    await metrics.registry.metrics();
    expect(statements()).toBe(perReading);

    clock = 5_000;
    expect(await metrics.registry.metrics()).toMatch(/vigil_consumer_lag\{consumer="alert-router"\} 1/);
    expect(statements()).toBe(2 * perReading);
  });

  it('serves the rest of the registry without lag samples when the log cannot be read', async () => {
    const metrics = new Metrics(false);
    const broken = { query: () => Promise.reject(new Error('connection terminated')) } as unknown as Pool;
    const reported: unknown[] = [];
    const reporter = { report: (_: string, error: unknown) => reported.push(error) } as unknown as ErrorReporter;
    new ConsumerLagGauge(metrics, broken, () => ['persons'], reporter);
    const text = await metrics.registry.metrics();
    expect(text).toContain('vigil_background_errors_total');
    expect(text).not.toMatch(/vigil_consumer_lag\{/);
    expect(reported).toHaveLength(1);
  });
});
