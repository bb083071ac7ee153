import { createRedis } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { testConfig } from '../support/test-config';
import { TEST_REDIS_URL } from '../support/test-environment';
import { expectProblem } from '../support/expect-problem';
import { dropQueuePrefix } from '../support/test-queue-prefix';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait-for';

/** The API reaches PostgreSQL and Redis through proxies the tests cut: the shared servers stay up. */
describe('Readiness', () => {
  let db: TestDatabase;
  let postgres: TcpProxy;
  let redis: TcpProxy;
  let api: TestApi;
  let queuePrefix: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    [postgres, redis] = await Promise.all([startTcpProxy(db.url), startTcpProxy(TEST_REDIS_URL)]);
    const config = testConfig({ databaseUrl: postgres.through(db.url), redisUrl: redis.through(TEST_REDIS_URL) });
    queuePrefix = config.queuePrefix;
    api = await startTestApi(config);
  });
  afterAll(async () => {
    postgres?.restore();
    redis?.restore();
    await api?.close();
    await Promise.all([postgres?.close(), redis?.close()]);
    await db?.drop();
    const direct = createRedis(TEST_REDIS_URL);
    await dropQueuePrefix(direct, queuePrefix);
    await direct.quit();
  });

  const ready = () => api.request('/health/ready');
  const readyAgain = () => waitFor(async () => (await ready()).status === 200, { what: 'ready again' });

  it('is ready while both answer', async () => {
    const response = await ready();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers 503 while PostgreSQL is unreachable, and is ready again once it is back', async () => {
    postgres.cut();
    try {
      const problem = await expectProblem(await ready(), 503);
      expect(problem.detail).toContain('postgres');
      expect(problem.detail).not.toContain('redis');
      expect((await api.request('/health/live')).status).toBe(200);
    } finally {
      postgres.restore();
    }
    await readyAgain();
  });

  it('answers 503 while Redis is unreachable, and is ready again once it is back', async () => {
    // Lost connections go to the app's JSON log, not raw to stderr.
    const stderr = jest.spyOn(console, 'error');
    try {
      redis.cut();
      try {
        const problem = await expectProblem(await ready(), 503);
        expect(problem.detail).toContain('redis');
        expect(problem.detail).not.toContain('postgres');
      } finally {
        redis.restore();
      }
      await readyAgain();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
  });
});
