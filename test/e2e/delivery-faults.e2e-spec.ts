import type { ServerResponse } from 'node:http';
import { startTestHttpReceiver, type Responder, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { readJson } from '../support/read-json';
import { waitFor } from '../support/wait-for';
import { addressIndexOf } from '../support/subscriber-data';
import { confirmSubscription, watchByEmail } from '../support/email-subscription';
import { tokenIn } from '../support/mail-link';
import { alertMailsTo, mailsTo } from '../support/mails-to';
import { recordReport } from '../support/recorded-report';
import { watchByWebhook } from '../support/webhook-subscription';

/** Closes the connection with a TCP reset instead of answering: the sender sees ECONNRESET. */
const resetConnection: Responder = (_, response: ServerResponse) => response.socket?.resetAndDestroy();

/**
 * Deliveries under faults of the SMTP server, a webhook receiver and the deliveries table: each alert is
 * retried by the schedule and arrives exactly once, and a send that succeeded is never made again because
 * recording it failed.
 */
describe('Delivery faults', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  const receivers: TestHttpReceiver[] = [];
  let reportNumber = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack(
      { smtpUrl: smtp.url, retrySchedule: [100, 150, 200, 250], webhookAllowPrivateTargets: true },
      { webhooks: { timeoutMs: 2_000 } },
    );
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await stack?.close();
    await smtp?.stop();
  });

  const alertsTo = (address: string) => alertMailsTo(smtp, address);
  const deliveryOf = async (subscriptionId: string) =>
    (
      await stack.db.pool.query<{ id: string; status: string; attempts: number }>(
        `SELECT id, status, attempts FROM deliveries WHERE subscription_id = $1`,
        [subscriptionId],
      )
    ).rows;

  const mailWatcher = (email: string, person: string) =>
    watchByEmail(stack.api, smtp, { email, watch: { persons: [person] } });

  async function webhookWatcher(person: string): Promise<{ id: string; receiver: TestHttpReceiver }> {
    const receiver = await startTestHttpReceiver();
    receivers.push(receiver);
    const { id } = await watchByWebhook(stack.api, { url: receiver.url, watch: { persons: [person] } });
    return { id, receiver };
  }

  const report = (person: string) =>
    recordReport(stack.api, {
      externalId: `delivery-faults-${++reportNumber}`,
      type: 'arrest',
      occurredOn: `${1000 + reportNumber}-05-06`, // Another arrest for each report (years apart): one arrest reported twice would be one incident.
      persons: [{ name: person }],
      source: { name: 'Test Monitor', status: 'confirmed' },
    });

  /**
   * Makes the next `count` writes of a `delivered` mark fail (a trigger raises), as a database that drops
   * the connection right after the send would. The failures are counted by a sequence, which a rolled-back
   * statement does not undo.
   */
  async function failDeliveredMarks(
    count: number,
  ): Promise<{ failed: () => Promise<number>; heal: () => Promise<void> }> {
    await stack.db.pool.query(`
      CREATE SEQUENCE delivered_mark_faults;
      CREATE FUNCTION fail_delivered_mark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('delivered_mark_faults') <= ${count} THEN
          RAISE EXCEPTION 'test fault: the delivered mark is lost';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_delivered_mark BEFORE UPDATE ON deliveries
        FOR EACH ROW WHEN (NEW.status = 'delivered' AND OLD.status <> 'delivered') EXECUTE FUNCTION fail_delivered_mark();`);
    return {
      failed: async () => {
        const { rows } = await stack.db.pool.query<{ n: string }>(
          `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM delivered_mark_faults`,
        );
        return Math.min(count, Number(rows[0].n));
      },
      heal: async () => {
        await stack.db.pool.query(`
          DROP TRIGGER fail_delivered_mark ON deliveries;
          DROP FUNCTION fail_delivered_mark();
          DROP SEQUENCE delivered_mark_faults;`);
      },
    };
  }

  it('retries mail by the schedule while the SMTP server answers 451, and delivers it once', async () => {
    const subscriptionId = await mailWatcher('refusing-smtp@example.org', 'Fictional Refusedforawhile');
    smtp.failNext(3, 451);
    await report('Fictional Refusedforawhile');
    await stack.settled();
    expect(alertsTo('refusing-smtp@example.org')).toHaveLength(1);
    expect(await deliveryOf(subscriptionId)).toEqual([{ id: expect.any(String), status: 'delivered', attempts: 4 }]);
  });

  it('retries a webhook by the schedule while the receiver resets connections, and delivers it once', async () => {
    const { id, receiver } = await webhookWatcher('Fictional Resetting');
    receiver.respond(resetConnection, resetConnection);
    await report('Fictional Resetting');
    await stack.settled();
    const [delivery] = await deliveryOf(id);
    expect(delivery).toEqual({ id: expect.any(String), status: 'delivered', attempts: 3 });
    // Three requests, all the same alert; only the last one was answered.
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id, delivery.id]);
  });

  it('does not send a mail again when recording it as delivered fails: the record alone is retried', async () => {
    const subscriptionId = await mailWatcher('lost-mark@example.org', 'Fictional Lostmark');
    const fault = await failDeliveredMarks(3);
    try {
      await report('Fictional Lostmark');
      await stack.settled();
      expect(await fault.failed()).toBe(3);
    } finally {
      await fault.heal();
    }
    expect(alertsTo('lost-mark@example.org')).toHaveLength(1);
    expect(await deliveryOf(subscriptionId)).toEqual([{ id: expect.any(String), status: 'delivered', attempts: 1 }]);
  });

  it('does not post a webhook again when recording it as delivered fails: the record alone is retried', async () => {
    const { id, receiver } = await webhookWatcher('Fictional Lostwebhookmark');
    const fault = await failDeliveredMarks(3);
    try {
      await report('Fictional Lostwebhookmark');
      await stack.settled();
      expect(await fault.failed()).toBe(3);
    } finally {
      await fault.heal();
    }
    expect(receiver.requests).toHaveLength(1);
    expect(await deliveryOf(id)).toEqual([{ id: expect.any(String), status: 'delivered', attempts: 1 }]);
  });
  it('sends the confirmation mail once when the SMTP server is down at subscribe time, after it returns', async () => {
    const email = 'confirm-while-down@example.org';
    await smtp.down();
    const started = await stack.api.request('/v1/subscriptions', {
      method: 'POST',
      json: { email, watch: { persons: ['Fictional Confirmlater'] } },
    });
    expect(started.status).toBe(202);
    expect(await readJson(started)).toEqual({ status: 'pending_confirmation' });
    const confirmationRow = async () =>
      (
        await stack.db.pool.query<{ status: string; attempts: number; sealed: boolean }>(
          `SELECT c.status, c.attempts, c.content_box IS NOT NULL AS sealed
             FROM confirmation_mails c JOIN subscriptions s ON s.id = c.subscription_id WHERE s.email_index = $1`,
          [addressIndexOf(email)],
        )
      ).rows;
    await waitFor(async () => (await confirmationRow())[0]?.status === 'failed', { what: 'a failed try' });
    await smtp.up();

    await stack.settled();
    const [row] = await waitFor(
      async () => {
        const rows = await confirmationRow();
        return rows[0]?.status === 'delivered' && rows;
      },
      { what: 'the confirmation mail to be recorded as delivered' },
    );
    expect(row.attempts).toBeGreaterThan(1);
    // The token is no longer kept once the mail is out.
    expect(row.sealed).toBe(false);
    const mails = mailsTo(smtp, email);
    expect(mails).toHaveLength(1);
    const token = tokenIn(mails[0], '/v1/subscriptions/confirm');
    expect((await confirmSubscription(stack.api, token)).status).toBe('active');
  });
});
