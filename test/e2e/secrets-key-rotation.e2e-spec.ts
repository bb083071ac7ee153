import { SecretBox } from '@vigil/platform';
import { SealedDataRotation } from '../../apps/api/src/operations/sealed-data-rotation';
import { readJson } from '../support/read-json';
import { startTestApi, type TestApi } from '../support/test-api';
import { testConfig } from '../support/test-config';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';

const KEY_A = 'rotation-key-a-0123456789abcdef0123456789';
const KEY_B = 'rotation-key-b-0123456789abcdef0123456789';

/**
 * Rotating SECRETS_KEY: an API started with SECRETS_KEY=B and SECRETS_KEY_PREVIOUS=A opens what A sealed
 * and, once its pass at start is done, the database holds no value sealed with A.
 */
describe('SECRETS_KEY rotation', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let api: TestApi | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await api?.close();
    await smtp?.stop();
    await db?.drop();
  });

  /** Rows of any table holding a value sealed with `key` (its key id). */
  async function rowsSealedWith(key: string): Promise<string[]> {
    const prefix = new SecretBox(key).currentSealPattern.slice(0, -1);
    const { rows: tables } = await db.pool.query<{ name: string }>(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema = 'public'`,
    );
    const found: string[] = [];
    for (const { name } of tables) {
      const { rows } = await db.pool.query<{ row: string }>(
        `SELECT t::text AS row FROM ${name} t WHERE strpos(t::text, $1) > 0`,
        [prefix],
      );
      found.push(...rows.map(({ row }) => `${name}: ${row}`));
    }
    return found;
  }

  it('opens with SECRETS_KEY_PREVIOUS what the old key sealed, and seals all of it again at start', async () => {
    const config = testConfig({ databaseUrl: db.url, smtpUrl: smtp.url });
    api = await startTestApi({ ...config, secretsKey: KEY_A });
    const source = await api.request('/v1/admin/sources', { method: 'POST', admin: true, json: { name: 'Rotated' } });
    expect(source.status).toBe(201);
    const webhook = await api.request('/v1/admin/webhook-subscriptions', {
      method: 'POST',
      admin: true,
      json: { url: 'http://127.0.0.1:9/hook', watch: { persons: ['Fictional Rotation Webhook'] } },
    });
    expect(webhook.status).toBe(201);
    const subscribed = await api.request('/v1/subscriptions', {
      method: 'POST',
      json: { email: 'rotated@example.org', watch: { persons: ['Fictional Rotation Watch'] } },
    });
    expect(subscribed.status).toBe(202);
    await api.close();
    api = undefined;
    // The source secret, the webhook secret and watch label, the address, the unsubscribe token, the label.
    expect((await rowsSealedWith(KEY_A)).length).toBeGreaterThanOrEqual(5);

    api = await startTestApi({ ...config, secretsKey: KEY_B, previousSecretsKeys: [KEY_A] });
    expect(await api.app.get(SealedDataRotation).pass).toBeGreaterThanOrEqual(6);
    expect(await rowsSealedWith(KEY_A)).toEqual([]);

    const list = await readJson(await api.request('/v1/admin/subscriptions', { admin: true }));
    expect(list.items).toEqual([
      expect.objectContaining({
        email: 'rotated@example.org',
        watch: { persons: ['Fictional Rotation Watch'], organizations: [] },
      }),
    ]);
    const hooks = await readJson(await api.request('/v1/admin/webhook-subscriptions', { admin: true }));
    expect(hooks.items[0].watch.persons).toEqual(['Fictional Rotation Webhook']);
  });
});
