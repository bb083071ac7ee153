import { randomUUID } from 'node:crypto';
import { namedStatementsSentBy, readWholeByGenericPlan } from '../../../test/support/generic-plan';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { Deliveries } from './deliveries';

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
});
