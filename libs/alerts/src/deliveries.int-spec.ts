import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import {
  namedStatementsSentBy,
  readWholeByGenericPlan,
  readWholeWithoutAnIndex,
} from '../../../test/support/generic-plan';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { Deliveries, forgetSubscriberInDeliveries } from './deliveries';

/**
 * The worker's hot statements are named, so each connection plans them once. Made on a young database,
 * a plan that reads deliveries, the index of unfinished ones or subscriptions whole stays cached while
 * the backlog grows: every one must look rows up by key whatever the tables looked like when it was made.
 */
describe('delivery statements on a new database', () => {
  let db: TestDatabase;
  let named: Map<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Unknown ids: the statements run and change nothing; what matters is their text.
    named = await namedStatementsSentBy(db.pool, async (pool) => {
      const deliveries = new Deliveries(pool, {
        secretsKey: 'test-secrets-key-0123456789abcdef0123456789',
        previousSecretsKeys: [],
      });
      await deliveries.startMailTry(randomUUID());
      await deliveries.startWebhookTry(randomUUID());
      await deliveries.delivered(randomUUID(), { status: 200, body: 'ok' });
      await deliveries.failed(randomUUID(), 'timeout', false);
    });
  });
  afterAll(() => db.drop());

  it('names the statements of a try and a failure (the delivered marks are planned per batch)', () => {
    expect([...named.keys()].sort()).toEqual([
      'deliveries-failed',
      'deliveries-start-mail-tries',
      'deliveries-start-webhook-tries',
    ]);
  });

  it.each(['deliveries-start-mail-tries', 'deliveries-start-webhook-tries', 'deliveries-failed'])(
    '%s reads no table or index whole under a generic plan',
    async (name) => {
      expect(await readWholeByGenericPlan(db.pool, named.get(name)!)).toEqual([]);
    },
  );

  // The unique keys are led by the incident, so that a fan-out's rows share a few leaf pages (KeyDeliveriesByIncident
  // migration): what looks a subscriber's deliveries up needs an index led by the subscription, or reads them all.
  it("finds a subscriber's deliveries by an index led by the subscription: their page and their erasure", async () => {
    const recent = await namedStatementsSentBy(db.pool, (pool) =>
      new Deliveries(pool, {
        secretsKey: 'test-secrets-key-0123456789abcdef0123456789',
        previousSecretsKeys: [],
      }).recentForSubscription(randomUUID(), 5),
    );
    const erasure: string[] = [];
    await forgetSubscriberInDeliveries(
      {
        query: (text: string, values: unknown[]) => (erasure.push(text), db.pool.query(text, values)),
      } as unknown as PoolClient,
      randomUUID(),
    );
    const statements = [recent.get('deliveries-recent-for-subscription')!, ...erasure];
    expect(statements).toHaveLength(2);
    for (const sql of statements) expect(await readWholeWithoutAnIndex(db.pool, sql)).toEqual([]);
  });
});

/**
 * A row is tried only by the job that owns it (docs/decisions/0023-a-job-per-page-of-deliveries.md): its page,
 * or its own job once the sweeper or an admin retry gave it one. So a page and a single job never both send it.
 */
describe('delivery rows owned by their job', () => {
  let db: TestDatabase;
  let deliveries: Deliveries;
  beforeAll(async () => {
    db = await createTestDatabase();
    deliveries = new Deliveries(db.pool, {
      secretsKey: 'test-secrets-key-0123456789abcdef0123456789',
      previousSecretsKeys: [],
    });
  });
  afterAll(() => db.drop());

  async function rowOfPage(page: string): Promise<string> {
    const subscription = randomUUID();
    const id = randomUUID();
    await db.pool.query(`INSERT INTO subscriptions (id, channel, status) VALUES ($1, 'email', 'active')`, [
      subscription,
    ]);
    await db.pool.query(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload, job_id)
       VALUES ($1, 'email', $2, $3, 'incident.recorded', '{"incident": {}, "matched": {}, "watched": []}', $4)`,
      [id, subscription, randomUUID(), page],
    );
    return id;
  }
  const attemptsOf = async (id: string) =>
    (await db.pool.query<{ attempts: number }>('SELECT attempts FROM deliveries WHERE id = $1', [id])).rows[0].attempts;

  it('is tried by its page, and not by a job of its own id', async () => {
    const id = await rowOfPage('page-a-0');
    expect(await deliveries.startMailTry(id)).toBeUndefined();
    expect(await deliveries.startMailTry(id, 'page-b-0')).toBeUndefined();
    expect(await attemptsOf(id)).toBe(0);
    expect((await deliveries.startMailTry(id, 'page-a-0'))?.id).toBe(id);
    expect(await attemptsOf(id)).toBe(1);
  });

  it('is tried by its own job after an admin retry, no longer by its page', async () => {
    const id = await rowOfPage('page-c-0');
    await deliveries.failed(id, 'refused', true);
    expect(await deliveries.reopen(id, async () => undefined)).toBeDefined();
    expect(await deliveries.startMailTry(id, 'page-c-0')).toBeUndefined();
    expect((await deliveries.startMailTry(id))?.id).toBe(id);
  });

  it('is taken over from a lost page once, into a new page', async () => {
    const ids = [await rowOfPage('page-d-0'), await rowOfPage('page-d-0')];
    const orphans = ids.map((id) => ({
      id,
      channel: 'email' as const,
      subscriptionId: randomUUID(),
      owner: 'page-d-0',
      attempts: 0,
    }));
    const taken = await deliveries.takeOver(orphans);
    expect(taken.map((row) => row.id).sort()).toEqual([...ids].sort());
    const [page] = new Set(taken.map((row) => row.jobId));
    expect(page).toMatch(/^page-[0-9a-f-]+-0$/);
    expect(new Set(taken.map((row) => row.jobId)).size).toBe(1);
    // A second sweeper that saw the same lost page takes nothing: the rows have a job again.
    expect(await deliveries.takeOver(orphans)).toEqual([]);
    expect(await deliveries.startMailTry(ids[0], 'page-d-0')).toBeUndefined();
    expect((await deliveries.startMailTry(ids[0], page!))?.id).toBe(ids[0]);
  });

  it("is left to its lost page's worker when that worker tried it after the sweeper saw it stale", async () => {
    // Redis came back empty while a worker still sends the page: the sweeper sees both rows untried and the
    // page's job gone, and before it takes them over the worker claims the first and is sending it.
    const ids = [await rowOfPage('page-e-0'), await rowOfPage('page-e-0')];
    const seen = ids.map((id) => ({ id, channel: 'email' as const, subscriptionId: randomUUID(), attempts: 0 }));
    expect((await deliveries.startMailTry(ids[0], 'page-e-0'))?.id).toBe(ids[0]);

    const taken = await deliveries.takeOver(seen.map((row) => ({ ...row, owner: 'page-e-0' })));
    // Only the untried row gets a new page; the one in hand stays its worker's, so no second job sends it.
    expect(taken.map((row) => row.id)).toEqual([ids[1]]);
    const { rows } = await db.pool.query<{ id: string; job_id: string }>(
      'SELECT id, job_id FROM deliveries WHERE id = ANY($1)',
      [ids],
    );
    expect(rows.find((row) => row.id === ids[0])!.job_id).toBe('page-e-0');
    expect(await deliveries.startMailTry(ids[0], taken[0].jobId!)).toBeUndefined();
    // And the worker, finding its second row taken over, leaves it to the new page.
    expect(await deliveries.startMailTry(ids[1], 'page-e-0')).toBeUndefined();
  });
});
