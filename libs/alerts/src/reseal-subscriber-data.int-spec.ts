import { randomUUID } from 'node:crypto';
import { SecretBox } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { Deliveries } from './deliveries';
import { EmailSubscriptions } from './email-subscriptions';
import { resealSubscriberData } from './reseal-subscriber-data';
import { SubscriberData } from './subscriber-data';
import { newToken } from './subscription-tokens';

const KEY_A = { secretsKey: 'key-a-0123456789abcdef0123456789abcdef', previousSecretsKeys: [] };
const KEY_B = { secretsKey: 'key-b-0123456789abcdef0123456789abcdef', previousSecretsKeys: [] };
const B_AFTER_A = { ...KEY_B, previousSecretsKeys: [KEY_A.secretsKey] };

/** SECRETS_KEY rotation: what key A sealed opens under B with A as the previous key, and the pass leaves none of it. */
describe(resealSubscriberData.name, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** Every value in the subscriber tables that key A's box says it sealed (its key id), anywhere in a row. */
  async function sealedWithA(): Promise<string[]> {
    const a = new SecretBox(KEY_A.secretsKey);
    const prefix = a.currentSealPattern.slice(0, -1);
    const { rows } = await db.pool.query<{ row: string }>(
      `SELECT t::text AS row FROM subscriptions t UNION ALL SELECT t::text FROM subscription_watches t
       UNION ALL SELECT t::text FROM subscription_secrets t UNION ALL SELECT t::text FROM deliveries t`,
    );
    return rows.map(({ row }) => row).filter((row) => row.includes(prefix));
  }

  it('opens under SECRETS_KEY=B with SECRETS_KEY_PREVIOUS=A what A sealed, and after the pass nothing sealed with A remains', async () => {
    const underA = new EmailSubscriptions(db.pool, KEY_A);
    const unsubscribe = newToken();
    const id = await underA.create({
      email: 'Rotated@Example.org',
      watches: [{ subject: 'person', key: 'fictional rotated', label: 'Fictional Rotated' }],
      confirmTokenHash: newToken().hash,
      confirmExpiresAt: new Date(Date.now() + 60_000),
      unsubscribeTokenHash: unsubscribe.hash,
      unsubscribeTokenBox: new SecretBox(KEY_A.secretsKey).seal(unsubscribe.token),
    });
    await db.pool.query(`UPDATE subscriptions SET status = 'active', confirmed_at = now() WHERE id = $1`, [id]);
    const deliveryId = randomUUID();
    const [label] = (await db.pool.query(`SELECT label FROM subscription_watches WHERE subscription_id = $1`, [id]))
      .rows;
    await db.pool.query(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload)
       VALUES ($1, 'email', $2, $3, 'incident.recorded', $4)`,
      [deliveryId, id, randomUUID(), { incident: { id: 'x' }, matched: {}, watched: [label.label] }],
    );
    expect(await sealedWithA()).toHaveLength(3);

    // B with A as the previous key opens everything A sealed.
    const rotated = new EmailSubscriptions(db.pool, B_AFTER_A);
    expect((await rotated.list(100)).items.find((item) => item.id === id)).toMatchObject({
      email: 'Rotated@Example.org',
      watch: { persons: ['Fictional Rotated'] },
    });

    expect(await resealSubscriberData(db.pool, B_AFTER_A)).toBe(4);
    expect(await sealedWithA()).toEqual([]);
    expect(await resealSubscriberData(db.pool, B_AFTER_A)).toBe(0);

    // B alone now opens everything, finds the address by its blind index under B, and erases under B.
    expect((await new EmailSubscriptions(db.pool, KEY_B).list(100)).items.find((item) => item.id === id)).toMatchObject(
      { email: 'Rotated@Example.org', watch: { persons: ['Fictional Rotated'] } },
    );
    const found = await db.pool.query('SELECT id FROM subscriptions WHERE email_index = $1', [
      new SubscriberData(KEY_B).addressIndex('rotated@example.org'),
    ]);
    expect(found.rows).toEqual([{ id }]);
    const mailTry = await new Deliveries(db.pool, KEY_B).startMailTry(deliveryId);
    expect(mailTry).toMatchObject({ email: 'Rotated@Example.org', payload: { watched: ['Fictional Rotated'] } });
    expect(new SecretBox(KEY_B.secretsKey).open(mailTry!.unsubscribeTokenBox!)).toBe(unsubscribe.token);
  });

  it('seals what was kept in clear before sealing existed', async () => {
    const id = randomUUID();
    await db.pool.query(
      `INSERT INTO subscriptions (id, channel, email_box, status) VALUES ($1, 'email', 'Clear@Example.org', 'active')`,
      [id],
    );
    await db.pool.query(
      `INSERT INTO subscription_watches (subscription_id, subject, key, label) VALUES ($1, 'person', 'fictional clear', 'Fictional Clear')`,
      [id],
    );
    expect(await resealSubscriberData(db.pool, KEY_B)).toBe(2);
    const { rows } = await db.pool.query(
      `SELECT s::text || (SELECT string_agg(w::text, '') FROM subscription_watches w WHERE w.subscription_id = s.id) AS dump
         FROM subscriptions s WHERE id = $1`,
      [id],
    );
    expect(rows[0].dump).not.toContain('Clear@Example.org');
    expect(rows[0].dump).not.toContain('Fictional Clear');
    expect((await new EmailSubscriptions(db.pool, KEY_B).list(100)).items.find((item) => item.id === id)).toMatchObject(
      { email: 'Clear@Example.org', watch: { persons: ['Fictional Clear'] } },
    );
  });
});
