import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { EmailSubscriptions } from './email-subscriptions';
import { newToken } from './subscription-tokens';

describe(EmailSubscriptions.name, () => {
  let db: TestDatabase;
  let subscriptions: EmailSubscriptions;

  beforeAll(async () => {
    db = await createTestDatabase();
    subscriptions = new EmailSubscriptions(db.pool, {
      secretsKey: 'test-secrets-key-0123456789abcdef0123456789',
      previousSecretsKeys: [],
    });
  });
  afterAll(() => db.drop());

  const logged = async (): Promise<number> =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM confirmation_mail_log')).rows[0].n;

  it('lets exactly the daily cap of confirmation mails through when many requests for one address arrive at once', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => subscriptions.claimConfirmationMail('Racing@Example.org', 3, async () => true)),
    );
    expect(claims.filter(Boolean)).toHaveLength(3);
    expect(await logged()).toBe(3);
    // Another address has a cap of its own.
    expect(await subscriptions.claimConfirmationMail('other@example.org', 3, async () => true)).toBe(true);
  });

  it('counts no mail against the daily cap when recording the mail fails: the count and the mail stand or fall together', async () => {
    const before = await logged();
    const failure = new Error('the mail could not be recorded');
    await expect(
      subscriptions.claimConfirmationMail('unlucky@example.org', 3, async (client) => {
        await client.query('SELECT 1');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await logged()).toBe(before);
    // The three of the day are all still there.
    for (let i = 0; i < 3; i++) {
      expect(await subscriptions.claimConfirmationMail('unlucky@example.org', 3, async () => 'recorded')).toBe(
        'recorded',
      );
    }
    expect(await subscriptions.claimConfirmationMail('unlucky@example.org', 3, async () => 'recorded')).toBeUndefined();
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
      `SELECT s.email_box AS email, (SELECT count(*)::int FROM subscription_watches WHERE subscription_id = s.id) AS watches
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

  it('purges subscriptions never confirmed after seven days, with their watch lists, and keeps the rest', async () => {
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const make = async (email: string, createdAt: Date, confirmed: boolean) => {
      const confirm = newToken();
      const id = await subscriptions.create({
        email,
        watches: [{ subject: 'person', key: 'fictional purged', label: 'Fictional Purged' }],
        confirmTokenHash: confirm.hash,
        confirmExpiresAt: new Date(now.getTime() + 60_000),
        unsubscribeTokenHash: newToken().hash,
        unsubscribeTokenBox: 'sealed',
      });
      if (confirmed) await subscriptions.confirm(confirm.token);
      await db.pool.query('UPDATE subscriptions SET created_at = $2 WHERE id = $1', [id, createdAt]);
      return id;
    };
    const stale = await make('never-confirmed@example.org', daysAgo(7.01), false);
    const young = await make('still-deciding@example.org', daysAgo(6.9), false);
    const confirmed = await make('confirmed@example.org', daysAgo(30), true);

    expect(await subscriptions.purgeUnconfirmed(now)).toBe(1);
    const left = await db.pool.query<{ id: string }>('SELECT id FROM subscriptions WHERE id = ANY($1)', [
      [stale, young, confirmed],
    ]);
    expect(left.rows.map(({ id }) => id).sort()).toEqual([young, confirmed].sort());
    const watches = await db.pool.query('SELECT 1 FROM subscription_watches WHERE subscription_id = $1', [stale]);
    expect(watches.rowCount).toBe(0);
  });

  it('keeps addresses and labels sealed at rest and finds the mail-log count by the blind index only', async () => {
    const id = await subscriptions.create({
      email: 'Sealed.Person@Example.org',
      watches: [{ subject: 'person', key: 'fictional sealed', label: 'Fictional Sealed' }],
      confirmTokenHash: newToken().hash,
      confirmExpiresAt: new Date(Date.now() + 60_000),
      unsubscribeTokenHash: newToken().hash,
      unsubscribeTokenBox: 'sealed',
    });
    await subscriptions.claimConfirmationMail('sealed.person@example.org', 3, async () => true);
    const { rows } = await db.pool.query(
      `SELECT s::text || coalesce((SELECT string_agg(w::text, ' ') FROM subscription_watches w WHERE w.subscription_id = s.id), '') AS dump
         FROM subscriptions s WHERE s.id = $1`,
      [id],
    );
    expect(rows[0].dump.toLowerCase()).not.toContain('sealed.person@example.org');
    expect(rows[0].dump).not.toContain('Fictional Sealed');
    const page = await subscriptions.list(100);
    expect(page.items.find((item) => item.id === id)).toMatchObject({
      email: 'Sealed.Person@Example.org',
      watch: { persons: ['Fictional Sealed'], organizations: [] },
    });
  });
});
