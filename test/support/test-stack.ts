import { DeliveryQueues } from '@vigil/alerts';
import type { VigilConfig } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from './test-database';
import { startTestApi, type TestApi } from './test-api';
import { testConfig } from './test-config';
import { startTestWorker, type TestWorker } from './test-worker';
import type { WorkerOptions } from '../../apps/worker/src/worker.module';
import { createRedis } from '@vigil/platform';
import { dropQueuePrefix } from './test-queue-prefix';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { readJson } from './read-json';
import { waitFor } from './wait-for';

export interface TestStack {
  db: TestDatabase;
  api: TestApi;
  worker: TestWorker;
  config: VigilConfig;
  /** With `behindProxy`: the proxy between both apps and PostgreSQL, for a test to cut, stall or restore. */
  postgres?: TcpProxy;
  /** Stops the worker and starts a new one on the same database and queues. */
  restartWorker(): Promise<void>;
  /** Waits until every consumer has applied every committed event. */
  caughtUp(): Promise<void>;
  /**
   * Waits until the consumers caught up, every delivery row is final (delivered or dead) and no delivery
   * job is left in a queue: whatever the alerts were going to send has been sent, so counts are final.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A database of the suite's own, with the API and the worker running against it in this process. With
 * `behindProxy`, both reach PostgreSQL through one TCP proxy (`stack.postgres`); `stack.db.pool` does not.
 */
export async function startTestStack(
  overrides: Partial<VigilConfig> = {},
  workerOptions: WorkerOptions = {},
  { behindProxy = false } = {},
): Promise<TestStack> {
  const db = await createTestDatabase();
  const postgres = behindProxy ? await startTcpProxy(db.url) : undefined;
  const config = testConfig({ databaseUrl: postgres?.through(db.url) ?? db.url, ...overrides });
  const api = await startTestApi(config);
  const stack: TestStack = {
    db,
    api,
    worker: await startTestWorker(config, workerOptions),
    config,
    postgres,
    async restartWorker() {
      await stack.worker.close();
      stack.worker = await startTestWorker(config, workerOptions);
    },
    async caughtUp() {
      const projections = stack.worker.host.runners.map((runner) => runner.consumer.name);
      await waitFor(
        async () => {
          const status = await readJson(await api.request('/v1/admin/projections', { admin: true }));
          const behind = status.projections.filter(
            (p: { name: string; lag: number; status: string }) =>
              projections.includes(p.name) && (p.lag !== 0 || p.status !== 'running'),
          );
          // Thrown, so a time-out says which consumer is behind and why.
          if (behind.length) throw new Error(JSON.stringify(behind));
          return true;
        },
        { what: 'consumers to catch up', timeoutMs: 20_000 },
      );
    },
    async settled() {
      await stack.caughtUp();
      const { queues } = stack.worker.app.get(DeliveryQueues);
      await waitFor(
        async () => {
          const {
            rows: [{ unfinished }],
          } = await db.pool.query(
            `SELECT count(*)::int AS unfinished FROM deliveries WHERE status NOT IN ('delivered', 'dead')`,
          );
          // A row is final before its job completes, and a stray job may still point at a final row: both must be done.
          const jobs = await Promise.all(
            Object.values(queues).map((queue) =>
              queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children'),
            ),
          );
          const queued = jobs.flatMap((counts) => Object.values(counts)).reduce((sum, n) => sum + n, 0);
          if (unfinished || queued) throw new Error(`${unfinished} deliveries unfinished, ${queued} jobs queued`);
          return true;
        },
        { what: 'deliveries to settle', timeoutMs: 20_000 },
      );
    },
    async close() {
      postgres?.restore();
      await stack.worker.close();
      await api.close();
      await postgres?.close();
      await db.drop();
      const redis = createRedis(config.redisUrl);
      await dropQueuePrefix(redis, config.queuePrefix);
      await redis.quit();
    },
  };
  return stack;
}
