import { useApiOnTestDatabase } from '../support/test-api-database';
import { expectProblem } from '../support/expect-problem';
import { waitFor } from '../support/wait-for';

/** The API reaches PostgreSQL and Redis through proxies the tests cut: the shared servers stay up. */
describe('Readiness', () => {
  const { api, postgres, redis } = useApiOnTestDatabase({}, { behindProxies: true });

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
