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
