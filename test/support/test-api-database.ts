import { createRedis, type VigilConfig } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from './test-database';
import { startTestApi, type TestApi } from './test-api';
import { testConfig } from './test-config';
import { dropQueuePrefix } from './test-queue-prefix';

/** A database of the suite's own and the API on it (no worker): for suites about what the API writes. */
export async function startApiOnTestDatabase(
  overrides: Partial<VigilConfig> = {},
): Promise<{ db: TestDatabase; api: TestApi; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const config = testConfig({ databaseUrl: db.url, ...overrides });
  const api = await startTestApi(config);
  return {
    db,
    api,
    async close() {
      await api.close();
      await db.drop();
      const redis = createRedis(config.redisUrl);
      await dropQueuePrefix(redis, config.queuePrefix);
      await redis.quit();
    },
  };
}

/**
 * For a suite's top level: starts the API on a database of the suite's own in beforeAll and stops both in
 * afterAll. The `db` and `api` it returns stand for the ones beforeAll starts (they forward every property
 * to them), so they are used in tests and later hooks as if they were those, and not before.
 */
export function useApiOnTestDatabase(overrides: Partial<VigilConfig> = {}): { db: TestDatabase; api: TestApi } {
  let started: Awaited<ReturnType<typeof startApiOnTestDatabase>> | undefined;
  beforeAll(async () => {
    started = await startApiOnTestDatabase(overrides);
  });
  afterAll(async () => {
    await started?.close();
  });
  const forwardTo = <T extends object>(pick: (suite: NonNullable<typeof started>) => T): T =>
    new Proxy({} as T, {
      get(_, property) {
        if (!started) throw new Error('the suite API is used before its beforeAll ran');
        const target = pick(started);
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { db: forwardTo((suite) => suite.db), api: forwardTo((suite) => suite.api) };
}
