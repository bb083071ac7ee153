import { createRedis, type VigilConfig } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from './test-database';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { startTestApi, type TestApi } from './test-api';
import { testConfig } from './test-config';
import { TEST_REDIS_URL } from './test-environment';
import { dropQueuePrefix } from './test-queue-prefix';

export interface ApiOnTestDatabase {
  db: TestDatabase;
  api: TestApi;
  /** With `behindProxies`: the proxies between the API and PostgreSQL and Redis, for a test to cut or stall. */
  postgres: TcpProxy;
  redis: TcpProxy;
  close(): Promise<void>;
}

/**
 * A database of the suite's own and the API on it (no worker): for suites about what the API writes.
 * With `behindProxies`, the API reaches PostgreSQL and Redis through TCP proxies a test can cut, stall and
 * restore, so an outage is played without stopping the servers other suites share.
 */
export async function startApiOnTestDatabase(
  overrides: Partial<VigilConfig> = {},
  { behindProxies = false } = {},
): Promise<ApiOnTestDatabase> {
  const db = await createTestDatabase();
  const [postgres, redis] = behindProxies
    ? await Promise.all([startTcpProxy(db.url), startTcpProxy(overrides.redisUrl ?? TEST_REDIS_URL)])
    : [undefined, undefined];
  const config = testConfig({
    databaseUrl: postgres?.through(db.url) ?? db.url,
    ...overrides,
    ...(redis ? { redisUrl: redis.through(overrides.redisUrl ?? TEST_REDIS_URL) } : {}),
  });
  const api = await startTestApi(config);
  const notProxied = (): never => {
    throw new Error('started without behindProxies');
  };
  return {
    db,
    api,
    get postgres() {
      return postgres ?? notProxied();
    },
    get redis() {
      return redis ?? notProxied();
    },
    async close() {
      postgres?.restore();
      redis?.restore();
      await api.close();
      await Promise.all([postgres?.close(), redis?.close()]);
      await db.drop();
      const client = createRedis(overrides.redisUrl ?? TEST_REDIS_URL);
      await dropQueuePrefix(client, config.queuePrefix);
      await client.quit();
    },
  };
}

/**
 * For a suite's top level: starts the API on a database of the suite's own in beforeAll and stops both in
 * afterAll (with `behindProxies`, the proxies are also restored after each test). What it returns stands for
 * what beforeAll starts (each forwards every property to it), so it is used in tests and later hooks as if
 * it were that, and not before.
 */
export function useApiOnTestDatabase(
  overrides: Partial<VigilConfig> = {},
  options: { behindProxies?: boolean } = {},
): Pick<ApiOnTestDatabase, 'db' | 'api' | 'postgres' | 'redis'> {
  let started: ApiOnTestDatabase | undefined;
  beforeAll(async () => {
    started = await startApiOnTestDatabase(overrides, options);
  });
  if (options.behindProxies) {
    afterEach(() => {
      started?.postgres.restore();
      started?.redis.restore();
    });
  }
  afterAll(async () => {
    await started?.close();
  });
  const forwardTo = <T extends object>(pick: (suite: ApiOnTestDatabase) => T): T =>
    new Proxy({} as T, {
      get(_, property) {
        if (!started) throw new Error('the suite API is used before its beforeAll ran');
        const target = pick(started);
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return {
    db: forwardTo((suite) => suite.db),
    api: forwardTo((suite) => suite.api),
    postgres: forwardTo((suite) => suite.postgres),
    redis: forwardTo((suite) => suite.redis),
  };
}
