import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { holdOffRouting } from '@vigil/alerts';
import { nameKey } from '@vigil/domain';
import { inTransaction, LOCK_CLASS_SUBSCRIBER_ERASURE } from '@vigil/platform';
import { watchByEmail } from '../support/email-subscription';
import { tokenIn } from '../support/mail-link';
import { alertMailsTo } from '../support/mails-to';
import { recordReport } from '../support/recorded-report';
import { addressIndexOf, openedAddress } from '../support/subscriber-data';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

/**
 * Subscriber data stays in its place: sealed while the subscription lives, and gone, in every form it was
 * ever stored in, once the subscriber is erased, by an admin or by the one-click unsubscribe link.
 */
describe('Subscriber erasure', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  let reportNumber = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  const alertsTo = (address: string) => alertMailsTo(smtp, address);

  /**
   * Every table of the database, each row cast to text (bytea shows as hex): the rows containing `needle`,
   * case-insensitively unless `exactCase` (a label spelled the subscriber's way, when the incident names the
   * same person in its own spelling).
   */
  async function rowsContaining(needle: string, exactCase = false): Promise<string[]> {
    const { rows: tables } = await stack.db.pool.query<{ name: string }>(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const { name } of tables) {
      const { rows } = await stack.db.pool.query<{ row: string }>(
        exactCase
          ? `SELECT t::text AS row FROM ${name} t WHERE strpos(t::text, $1) > 0`
          : `SELECT t::text AS row FROM ${name} t WHERE strpos(lower(t::text), lower($1)) > 0`,
        [needle],
      );
      found.push(...rows.map(({ row }) => `${name}: ${row}`));
    }
    return found;
  }

  /**
   * The sealed values anywhere in the database that open as the subscription's (bound to its id): a
   * sealed copy left behind is recoverable by whoever holds SECRETS_KEY, so erasure must take those too.
   */
  async function sealedFor(subscriptionId: string): Promise<string[]> {
    const sealed = (await rowsContaining('v2.', true)).flatMap(
      (row) => row.match(/v2\.[0-9a-f]{8}\.[A-Za-z0-9_-]+/g) ?? [],
    );
    return sealed.filter((box) => {
      try {
        openedAddress(subscriptionId, box);
        return true;
      } catch {
        return false;
      }
    });
  }

  /** The address in every form it was ever stored in: as typed, lower case, SHA-256 hashes, the blind index. */
  function formsOf(address: string): string[] {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    return [
      address,
      address.toLowerCase(),
      sha(address),
      sha(address.trim().toLowerCase()),
      addressIndexOf(address).toString('hex'),
    ];
  }

  const subscribeAndConfirm = (email: string, persons: string[]) =>
    watchByEmail(stack.api, smtp, { email, watch: { persons } });
  const reportAbout = (name: string) =>
    recordReport(stack.api, {
      externalId: `erasure-${++reportNumber}`,
      source: { name: 'Test Monitor', status: 'confirmed' },
      type: 'arrest',
      occurredOn: '2024-05-01',
      persons: [{ name }],
    });

  // Each subscriber watches a reported name, spelled their own way, and a name never reported: the second
  // appears nowhere but in their watch list.
  const subscribers = [
    {
      how: 'an admin erases the subscription',
      email: 'Erased.Relative@Example.org',
      reported: 'Fictional Erasable Amini',
      spelled: 'fictional ERASABLE amini',
      private: 'Fictional Zandi Hidden Cousin',
      erase: async (id: string) => {
        const answer = await stack.api.request(`/v1/admin/subscriptions/${id}`, { method: 'DELETE', admin: true });
        expect(answer.status).toBe(204);
      },
    },
    {
      how: 'the subscriber unsubscribes in one click',
      email: 'Leaving.Lawyer@Example.org',
      reported: 'Fictional Leaving Karimi',
      spelled: 'FICTIONAL leaving karimi',
      private: 'Fictional Rahimi Hidden Client',
      erase: async (_id: string, alert: ParsedMail) => {
        const token = tokenIn(alert, '/v1/subscriptions/unsubscribe');
        const answer = await stack.api.request(`/v1/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        expect(answer.status).toBe(200);
      },
    },
  ];

  it.each(subscribers)(
    'leaves no address and no watch label anywhere in the database once $how, and none in clear before',
    async (subscriber) => {
      const id = await subscribeAndConfirm(subscriber.email, [subscriber.spelled, subscriber.private]);
      await reportAbout(subscriber.reported);
      const [alert] = await waitFor(() => alertsTo(subscriber.email).length > 0 && alertsTo(subscriber.email), {
        what: 'the alert',
      });
      expect(alert.text).toContain(subscriber.spelled);
      await stack.settled();

      // Live: the address is at rest only sealed and as its blind index; the labels only sealed.
      expect(await sealedFor(id)).not.toEqual([]);
      for (const form of [subscriber.email, subscriber.email.toLowerCase()])
        expect(await rowsContaining(form)).toEqual([]);
      expect(await rowsContaining(subscriber.spelled, true)).toEqual([]);
      expect(await rowsContaining(subscriber.private)).toEqual([]);
      expect(await rowsContaining(addressIndexOf(subscriber.email).toString('hex'))).not.toEqual([]);

      await subscriber.erase(id, alert);

      for (const form of formsOf(subscriber.email)) expect(await rowsContaining(form)).toEqual([]);
      expect(await rowsContaining(subscriber.spelled, true)).toEqual([]);
      // The name watched and never reported: neither its label nor its name key is left.
      expect(await rowsContaining(subscriber.private)).toEqual([]);
      expect(await rowsContaining(nameKey(subscriber.private))).toEqual([]);
      expect(await sealedFor(id)).toEqual([]);
    },
  );

  it('has the alert router wait for an erasure under way, then write nothing for the erased subscriber', async () => {
    const email = 'racing.journalist@example.org';
    const id = await subscribeAndConfirm(email, ['Fictional Racing Sadeghi']);
    await inTransaction(stack.db.pool, async (erasure) => {
      // An erasure has begun (as EmailSubscriptions.erase begins) when the incident is routed.
      await holdOffRouting(erasure);
      await reportAbout('Fictional Racing Sadeghi');
      await waitFor(
        async () =>
          (
            await stack.db.pool.query(
              `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND NOT granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
              [LOCK_CLASS_SUBSCRIBER_ERASURE],
            )
          ).rowCount === 1,
        { what: 'the router to wait for the erasure' },
      );
      await erasure.query('DELETE FROM subscriptions WHERE id = $1', [id]);
    });
    await stack.settled();
    const { rows } = await stack.db.pool.query('SELECT id FROM deliveries WHERE subscription_id = $1', [id]);
    expect(rows).toEqual([]);
    expect(alertsTo(email)).toEqual([]);
  });
});
