import { useApiOnTestDatabase } from '../support/test-api-database';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { createSource, postSigned } from '../support/signed-webhook';

/** A year of its own for each report id, the same when the report is sent again. */
const yearOf = (() => {
  const years = new Map<string, number>();
  return (externalId: string): number => {
    if (!years.has(externalId)) years.set(externalId, 1000 + years.size);
    return years.get(externalId)!;
  };
})();

/**
 * PostgreSQL goes away under the API (a proxy in front of the shared server is cut or stalled): every
 * answer is a 503 problem with Retry-After, none is a 500, none waits past the configured timeouts, nothing
 * is written, and the API serves again by itself once the database is back.
 */
describe('API while PostgreSQL is unreachable', () => {
  const { db, api, postgres } = useApiOnTestDatabase(
    // Short, so a stalled database answers within the test's time; the defaults are longer.
    { databaseTimeouts: { connectMs: 500, statementMs: 1_000, lockMs: 1_000, idleInTransactionMs: 10_000 } },
    { behindProxies: true },
  );
  let source: { id: string; secret: string };

  beforeAll(async () => {
    source = await createSource(api);
  });

  const report = (externalId: string) => ({
    externalId,
    type: 'arrest',
    occurredOn: `${yearOf(externalId)}-03-04`, // one arrest reported twice would be one incident
    persons: [{ name: 'Fictional Outage' }],
    source: { name: 'Test Monitor', status: 'confirmed' },
  });
  const eventsOf = async (externalId: string) =>
    (await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE data->>'externalId' = $1`, [externalId])).rows[0]
      .n;

  const expectUnavailable = async (response: Response) => {
    await expectProblem(response, 503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  it.each([
    ['cut', () => postgres.cut()],
    ['stalled', () => postgres.stall()],
  ])(
    'answers 503 with Retry-After while the database is %s, writes nothing, and serves again when it returns',
    async (state, fault) => {
      const externalId = `outage-${state}`;
      fault();
      await expectUnavailable(await postSigned(api, source, report(externalId)));
      await expectUnavailable(await api.request('/v1/admin/incidents', { admin: true }));
      await expectUnavailable(await api.request('/health/ready'));

      postgres.restore();
      expect(await eventsOf(externalId)).toBe(0);
      // The very report that was refused is recorded now, as new.
      const recorded = await postSigned(api, source, report(externalId));
      expect(recorded.status).toBe(201);
      expect((await readJson(await api.request('/health/ready'))).status).toBe('ok');
      expect(await eventsOf(externalId)).toBeGreaterThan(0);
    },
  );
});
