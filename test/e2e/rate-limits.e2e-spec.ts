import { expectProblem } from '../support/expect-problem';
import { createSource, postSigned, signedHeaders } from '../support/signed-webhook';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { TEST_ADMIN_TOKEN } from '../support/test-environment';

/**
 * Every limit answers 429 problem+json with Retry-After and writes nothing. Rates are not timed here (the
 * limiter's unit does that with its own clock): requests are sent at once, far more than the burst, and
 * the answers counted. A small per-source limit (5 at once, 1 a second) keeps the counts small.
 */
describe('Rate limits', () => {
  const { db, api } = useApiOnTestDatabase({ sourceRateLimit: { perSecond: 1, burst: 5 } });

  let n = 0;
  const report = () => ({
    externalId: `limited-${++n}`,
    type: 'arrest',
    occurredOn: `${1000 + n}-01-02`, // Another arrest for each report (years apart): one arrest reported twice would be one incident.
    persons: [{ name: 'Fictional Limited' }],
    source: { name: 'Test Monitor', status: 'confirmed' },
  });
  const at = (address: string) => ({ 'x-forwarded-for': address });
  const statuses = (responses: Response[]) => responses.map((response) => response.status);
  const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;

  /** Each 429 is a problem with a whole number of seconds to wait. */
  async function expectLimited(responses: Response[]): Promise<void> {
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const problem = await expectProblem(response, 429);
      expect(problem.retryAfter).toBe(Number(response.headers.get('retry-after')));
    }
  }

  describe('the partner webhook, per source', () => {
    const incidents = async () =>
      (await db.pool.query(`SELECT count(DISTINCT stream_id)::int AS n FROM events WHERE stream_id LIKE 'incident-%'`))
        .rows[0].n as number;

    it('takes a burst, then answers 429 and records none of the refused reports', async () => {
      const source = await createSource(api, 'Busy partner');
      const before = await incidents();
      const responses = await Promise.all(Array.from({ length: 30 }, () => postSigned(api, source, report())));
      expect(new Set(statuses(responses))).toEqual(new Set([201, 429]));
      expect(count(responses, 201)).toBeGreaterThanOrEqual(5);
      await expectLimited(responses);
      expect(await incidents()).toBe(before + count(responses, 201));
    });

    it('counts each source apart', async () => {
      const busy = await createSource(api, 'Spent partner');
      await Promise.all(Array.from({ length: 30 }, () => postSigned(api, busy, report())));
      const other = await createSource(api, 'Quiet partner');
      expect((await postSigned(api, other, report())).status).toBe(201);
    });

    it('does not count requests that fail the signature: nobody else can spend a source its budget', async () => {
      const source = await createSource(api, 'Targeted partner');
      const forged = await Promise.all(
        Array.from({ length: 30 }, () => {
          const body = JSON.stringify(report());
          return api.request(`/v1/webhooks/incidents/${source.id}`, {
            method: 'POST',
            body,
            headers: signedHeaders(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, body),
          });
        }),
      );
      expect(new Set(statuses(forged))).toEqual(new Set([401]));
      expect((await postSigned(api, source, report())).status).toBe(201);
    });
  });

  describe('failed admin authentication, per client address', () => {
    const sources = async () => (await db.pool.query('SELECT count(*)::int AS n FROM sources')).rows[0].n as number;
    const createWith = (token: string, address: string) =>
      api.request('/v1/admin/sources', {
        method: 'POST',
        json: { name: 'Intruder' },
        headers: { authorization: `Bearer ${token}`, ...at(address) },
      });

    it('answers 429 after 20 failures a minute, and writes nothing', async () => {
      const before = await sources();
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) => createWith(`guess-${i}-0123456789abcdef0123456789`, '203.0.113.10')),
      );
      expect(new Set(statuses(responses))).toEqual(new Set([401, 429]));
      expect(count(responses, 401)).toBeGreaterThanOrEqual(20);
      await expectLimited(responses);
      expect(await sources()).toBe(before);
    });

    it('holds back only the address that failed: another one signs in', async () => {
      await Promise.all(
        Array.from({ length: 40 }, () => createWith('wrong-token-0123456789abcdef0123456789', '203.0.113.11')),
      );
      expect((await createWith(TEST_ADMIN_TOKEN, '203.0.113.12')).status).toBe(201);
    });

    it('does not count successes', async () => {
      const address = '203.0.113.13';
      for (let i = 0; i < 50; i++) {
        const response = await api.request('/v1/admin/sources?limit=1', {
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...at(address) },
        });
        expect(response.status).toBe(200);
      }
      const failures = await Promise.all(
        Array.from({ length: 20 }, () => createWith('wrong-token-0123456789abcdef0123456789', address)),
      );
      expect(statuses(failures)).toEqual(Array(20).fill(401));
    });
  });

  describe('confirm and unsubscribe, per client address', () => {
    const subscriptions = async () =>
      (await db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n as number;

    it.each([
      ['confirm', (i: number) => ({ path: '/v1/subscriptions/confirm', json: { token: `made-up-${i}` } })],
      ['unsubscribe', (i: number) => ({ path: `/v1/subscriptions/unsubscribe?token=made-up-${i}`, json: {} })],
    ])('answers %s with 429 past 30 at once from one address, and writes nothing', async (name, request) => {
      const before = await subscriptions();
      const address = name === 'confirm' ? '198.51.100.20' : '198.51.100.21';
      const responses = await Promise.all(
        Array.from({ length: 45 }, (_, i) => {
          const { path, json } = request(i);
          return api.request(path, { method: 'POST', json, headers: at(address) });
        }),
      );
      expect(new Set(statuses(responses))).toEqual(new Set([400, 429]));
      expect(count(responses, 400)).toBeGreaterThanOrEqual(30);
      await expectLimited(responses);
      expect(await subscriptions()).toBe(before);
      expect(
        (await api.request(request(99).path, { method: 'POST', json: request(99).json, headers: at('198.51.100.22') }))
          .status,
      ).toBe(400);
    });
  });
});
