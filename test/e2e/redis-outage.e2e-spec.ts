import { createRedis, type VigilConfig } from '@vigil/platform';
import { expectProblem } from '../support/expect-problem';
import { createSource, postSigned } from '../support/signed-webhook';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTestApi, type TestApi } from '../support/test-api';
import { testConfig } from '../support/test-config';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-environment';
import { dropQueuePrefix } from '../support/test-queue-prefix';

/**
 * Redis goes away under the API (a proxy in front of the shared server is cut or stalled): the routes that
 * need it answer 503 with Retry-After within the bounded wait, the intake (PostgreSQL only) goes on, and
 * the API serves every route again once Redis is back, without a restart.
 */
describe('API while Redis is unreachable', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let config: VigilConfig;
  let api: TestApi;
  let source: { id: string; secret: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy(TEST_REDIS_URL);
    config = testConfig({ databaseUrl: db.url, redisUrl: proxy.through(TEST_REDIS_URL) });
    api = await startTestApi(config);
    source = await createSource(api);
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await api?.close();
    await proxy?.close();
    await db?.drop();
    const redis = createRedis(TEST_REDIS_URL);
    await dropQueuePrefix(redis, config.queuePrefix);
    await redis.quit();
  });

  const subscribe = (email: string) =>
    api.request('/v1/subscriptions', {
      method: 'POST',
      json: { email, watch: { persons: ['Fictional Redis'] } },
    });
  const subscriptionsOf = async (email: string) =>
    (await db.pool.query('SELECT count(*)::int AS n FROM subscriptions WHERE email = $1', [email])).rows[0].n;

  it.each([
    ['cut', (p: TcpProxy) => p.cut()],
    ['stalled', (p: TcpProxy) => p.stall()],
  ])(
    'answers subscribe with 503 and Retry-After while Redis is %s, records reports meanwhile, and recovers',
    async (state, fault) => {
      const email = `redis-${state}@example.org`;
      fault(proxy);
      const refused = await subscribe(email);
      await expectProblem(refused, 503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await subscriptionsOf(email)).toBe(0);
      await expectProblem(await api.request('/health/ready'), 503);

      const report = {
        externalId: `during-redis-${state}`,
        type: 'arrest',
        occurredOn: '2025-03-05',
        persons: [{ name: 'Fictional Redis' }],
        source: { name: 'Test Monitor', status: 'confirmed' },
      };
      expect((await postSigned(api, source, report)).status).toBe(201);

      proxy.restore();
      // ioredis reconnects by itself: the next request that needs Redis goes through.
      let accepted: Response | undefined;
      for (let i = 0; i < 50 && accepted?.status !== 202; i++) {
        accepted = await subscribe(email);
        if (accepted.status !== 202) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(accepted?.status).toBe(202);
      expect(await subscriptionsOf(email)).toBe(1);
    },
  );
});
