import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { EmailSubscriptions } from './email-subscriptions';
import { newToken } from './subscription-tokens';

describe(EmailSubscriptions.name, () => {
  let db: TestDatabase;
  let subscriptions: EmailSubscriptions;

  beforeAll(async () => {
    db = await createTestDatabase();
    subscriptions = new EmailSubscriptions(db.pool);
  });
  afterAll(() => db.drop());

  const logged = async (): Promise<number> =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM confirmation_mail_log')).rows[0].n;

  it('lets exactly the daily cap of confirmation mails through when many requests for one address arrive at once', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => subscriptions.claimConfirmationMail('Racing@Example.org', 3)),
    );
    expect(claims.filter(Boolean)).toHaveLength(3);
    expect(await logged()).toBe(3);
    // Another address has a cap of its own.
    expect(await subscriptions.claimConfirmationMail('other@example.org', 3)).toBe(true);
  });

  it('erases the address and the watch list together when the subscriber unsubscribes', async () => {
    const unsubscribe = newToken();
    const id = await subscriptions.create({
      email: 'leaving@example.org',
      watches: [{ subject: 'person', key: 'fictional leaving', label: 'Fictional Leaving' }],
      confirmTokenHash: newToken().hash,
      confirmExpiresAt: new Date(Date.now() + 60_000),
      unsubscribeTokenHash: unsubscribe.hash,
      unsubscribeTokenBox: 'sealed',
    });
    expect(await subscriptions.unsubscribe(unsubscribe.token)).toBe(true);
    const { rows } = await db.pool.query(
      `SELECT s.email, (SELECT count(*)::int FROM subscription_watches WHERE subscription_id = s.id) AS watches
         FROM subscriptions s WHERE s.id = $1`,
      [id],
    );
    expect(rows).toEqual([{ email: null, watches: 0 }]);
  });

  it('writes nothing when the watch list cannot be stored', async () => {
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n;
    await expect(
      subscriptions.create({
        email: 'broken@example.org',
        // A subject the table's CHECK refuses: the subscription row must go with it.
        watches: [{ subject: 'planet' as never, key: 'x', label: 'X' }],
        confirmTokenHash: newToken().hash,
        confirmExpiresAt: new Date(Date.now() + 60_000),
        unsubscribeTokenHash: newToken().hash,
        unsubscribeTokenBox: 'sealed',
      }),
    ).rejects.toThrow();
    expect((await db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n).toBe(before);
  });
});
