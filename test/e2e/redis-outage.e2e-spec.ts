import { useApiOnTestDatabase } from '../support/test-api-database';
import { expectProblem } from '../support/expect-problem';
import { createSource, postSigned } from '../support/signed-webhook';
import { addressIndexOf } from '../support/subscriber-data';

/** A year of its own for each report id, the same when the report is sent again. */
const yearOf = (() => {
  const years = new Map<string, number>();
  return (externalId: string): number => {
    if (!years.has(externalId)) years.set(externalId, 1000 + years.size);
    return years.get(externalId)!;
  };
})();

/**
 * Redis goes away under the API (a proxy in front of the shared server is cut or stalled): the routes that
 * need it answer 503 with Retry-After within the bounded wait, the intake (PostgreSQL only) goes on, and
 * the API serves every route again once Redis is back, without a restart.
 */
describe('API while Redis is unreachable', () => {
  const { db, api, redis } = useApiOnTestDatabase({}, { behindProxies: true });
  let source: { id: string; secret: string };

  beforeAll(async () => {
    source = await createSource(api);
  });

  const subscribe = (email: string) =>
    api.request('/v1/subscriptions', {
      method: 'POST',
      json: { email, watch: { persons: ['Fictional Redis'] } },
    });
  const subscriptionsOf = async (email: string) =>
    (
      await db.pool.query('SELECT count(*)::int AS n FROM subscriptions WHERE email_index = $1', [
        addressIndexOf(email),
      ])
    ).rows[0].n;

  it.each([
    ['cut', () => redis.cut()],
    ['stalled', () => redis.stall()],
  ])(
    'answers subscribe with 503 and Retry-After while Redis is %s, records reports meanwhile, and recovers',
    async (state, fault) => {
      const email = `redis-${state}@example.org`;
      fault();
      const refused = await subscribe(email);
      await expectProblem(refused, 503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await subscriptionsOf(email)).toBe(0);
      await expectProblem(await api.request('/health/ready'), 503);

      const report = {
        externalId: `during-redis-${state}`,
        type: 'arrest',
        occurredOn: `${yearOf(`during-redis-${state}`)}-03-05`, // one arrest reported twice would be one incident
        persons: [{ name: 'Fictional Redis' }],
        source: { name: 'Test Monitor', status: 'confirmed' },
      };
      expect((await postSigned(api, source, report)).status).toBe(201);

      redis.restore();
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
