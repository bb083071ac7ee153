import { createRedis } from '@vigil/platform';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { quickSweeper } from '../support/test-worker';
import { waitFor } from '../support/wait-for';
import { addressIndexOf } from '../support/subscriber-data';
import { confirmSubscription, subscribeByEmail } from '../support/email-subscription';
import { tokenIn } from '../support/mail-link';
import { alertMailsTo } from '../support/mails-to';
import { recordReport } from '../support/recorded-report';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('Email alerts', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  let reportNumber = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack({ smtpUrl: smtp.url, retrySchedule: [100, 200, 400, 800] }, quickSweeper(2_000));
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  const alertsTo = (address: string) => alertMailsTo(smtp, address);
  /** The delivery rows of an address, oldest first: what the router wrote, whatever reached the SMTP server. */
  const deliveriesTo = async (email: string) =>
    (
      await stack.db.pool.query(
        `SELECT d.incident_id AS "incidentId", d.alert_type AS "alertType", d.status, d.attempts
           FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
          WHERE s.email_index = $1 ORDER BY d.created_at, d.alert_type`,
        [addressIndexOf(email)],
      )
    ).rows;
  const subscribe = (email: string, watch: { persons?: string[]; organizations?: string[] }, types?: string[]) =>
    subscribeByEmail(stack.api, smtp, { email, watch, types });
  const confirm = (token: string) => confirmSubscription(stack.api, token);
  const report = (body: Json) =>
    recordReport(stack.api, {
      externalId: `email-alerts-${++reportNumber}`,
      source: { name: 'Test Monitor', status: 'confirmed' },
      ...body,
    });

  it('mails a confirmed person watch: subject, parts, unsubscribe headers; nothing before confirmation', async () => {
    const token = await subscribe('watcher1@example.org', { persons: ['Fictional Amini'] });
    await report({
      type: 'arrest',
      occurredOn: '2024-05-01',
      persons: [{ name: 'Fictional Amini' }],
      location: 'Tehran',
    });
    // Settled: a mail on its way would have arrived, and a row for the pending watch would be on record.
    await stack.settled();
    expect(await deliveriesTo('watcher1@example.org')).toEqual([]);
    expect(alertsTo('watcher1@example.org')).toHaveLength(0);

    const { status, subscriptionId } = await confirm(token);
    expect(status).toBe('active');
    expect(subscriptionId).toEqual(expect.any(String));
    await report({ type: 'release', occurredOn: '2024-05-09', persons: [{ name: 'FICTIONAL AMINI' }] });
    const [mail] = await waitFor(
      () => alertsTo('watcher1@example.org').length === 1 && alertsTo('watcher1@example.org'),
      { what: 'the alert' },
    );
    expect(mail.subject).toMatch(/release/i);
    expect(mail.subject).toContain('Fictional Amini');
    expect(mail.text).toContain('9 May 2024');
    expect(mail.html).toContain('Fictional Amini');
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(String(mail.headers.get('list-unsubscribe'))).toMatch(/\/v1\/subscriptions\/unsubscribe\?token=/);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@localhost>$/);
  });

  it('says when old news is newly documented, and shows a day without a year as such', async () => {
    await confirm(await subscribe('watcher-dates@example.org', { persons: ['Fictional Dated'] }));
    const cases = ['2020-06-21', new Date().toISOString().slice(0, 10), '--06-11'];
    for (const occurredOn of cases)
      await report({ type: 'arrest', occurredOn, persons: [{ name: 'Fictional Dated' }] });
    const mails = await waitFor(
      () => alertsTo('watcher-dates@example.org').length === cases.length && alertsTo('watcher-dates@example.org'),
      { what: 'three alerts' },
    );
    const texts = mails.map((mail) => (mail.text ?? '').replace(/\s+/g, ' '));
    const old = texts.filter((text) => text.includes('Newly documented'));
    expect(old).toHaveLength(1);
    expect(old[0]).toContain('Newly documented: this happened on 21 June 2020');
    const yearless = texts.filter((text) => text.includes('When: 11 June, year unknown'));
    expect(yearless).toHaveLength(1);
    expect(yearless[0]).not.toContain('Newly documented');
    expect(yearless[0]).not.toContain('Solar Hijri');
  });

  it('matches a watch on an alias, and a watch on a name first seen later', async () => {
    await confirm(await subscribe('watcher2@example.org', { persons: ['Fictional Meymandi'] }));
    await confirm(await subscribe('watcher3@example.org', { persons: ['Never Reported Yet'] }));
    await report({
      type: 'arrest',
      occurredOn: '2024-06',
      persons: [{ name: 'Fictional Maymandi', aliases: ['Fictional Meymandi'] }],
    });
    await waitFor(() => alertsTo('watcher2@example.org').length === 1, { what: 'the alias alert' });
    await report({ type: 'arrest', occurredOn: '2024', persons: [{ name: 'never reported  yet' }] });
    await waitFor(() => alertsTo('watcher3@example.org').length === 1, { what: 'the late-name alert' });
    expect(alertsTo('watcher3@example.org')[0].text).toContain('2024');
  });

  it('reaches an organisation watch through a member, once per incident however many names match', async () => {
    await report({
      type: 'harassment',
      occurredOn: '2024-07-01',
      details: { kind: 'summons' },
      persons: [{ name: 'Fictional Member', memberOf: [{ organization: 'Fictional Aid Society', role: 'treasurer' }] }],
      organizations: [{ name: 'Fictional Aid Society', aliases: ['FAS'] }],
    });
    await stack.caughtUp();
    await confirm(await subscribe('watcher4@example.org', { organizations: ['FAS'], persons: ['Fictional Member'] }));
    // The member matches the person watch, and the organisation watch through the membership: two ways in.
    const incidentId = await report({
      type: 'arrest',
      occurredOn: '2024-07-15',
      persons: [{ name: 'Fictional Member' }],
    });
    await stack.settled();
    expect(await deliveriesTo('watcher4@example.org')).toEqual([
      { incidentId, alertType: 'incident.recorded', status: 'delivered', attempts: 1 },
    ]);
    const [alert, ...more] = alertsTo('watcher4@example.org');
    expect(more).toHaveLength(0);
    expect(alert.text).toContain('Fictional Member');
  });

  it('sends a retraction to those alerted, and nothing after unsubscribing', async () => {
    const token = await subscribe('watcher5@example.org', { persons: ['Fictional Karimi'] });
    await confirm(token);
    const incidentId = await report({
      type: 'arrest',
      occurredOn: '2024-08-01',
      persons: [{ name: 'Fictional Karimi' }],
    });
    const [alert] = await waitFor(
      () => alertsTo('watcher5@example.org').length === 1 && alertsTo('watcher5@example.org'),
      { what: 'the alert' },
    );
    const retract = await stack.api.request(`/v1/admin/incidents/${incidentId}/retract`, {
      method: 'POST',
      admin: true,
      json: { reason: 'wrong person' },
    });
    expect(retract.status).toBe(200);
    const retraction = await waitFor(() => alertsTo('watcher5@example.org')[1], { what: 'the retraction' });
    expect(retraction.subject).toMatch(/retract/i);
    expect(retraction.text).toContain('wrong person');

    const unsubscribeToken = tokenIn(alert, '/v1/subscriptions/unsubscribe');
    const page = await stack.api.request(`/v1/subscriptions/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form');
    const oneClick = await stack.api.request(
      `/v1/subscriptions/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      },
    );
    expect(oneClick.status).toBe(200);
    await report({ type: 'release', occurredOn: '2024-08-09', persons: [{ name: 'Fictional Karimi' }] });
    // Every job run to its end before counting: a mail routed by mistake would have arrived by then.
    await stack.settled();
    const { rows } = await stack.db.pool.query('SELECT 1 FROM subscriptions WHERE email_index = $1', [
      addressIndexOf('watcher5@example.org'),
    ]);
    expect(rows).toEqual([]);
    expect(alertsTo('watcher5@example.org')).toHaveLength(2);
  });

  it('sends incident.confirmed to those alerted when an admin confirms the incident', async () => {
    await confirm(await subscribe('watcher8@example.org', { persons: ['Fictional Vouched'] }));
    const incidentId = await report({
      type: 'arrest',
      occurredOn: '2024-08-15',
      persons: [{ name: 'Fictional Vouched' }],
      source: { name: 'Test Monitor', status: 'unconfirmed' },
    });
    await waitFor(() => alertsTo('watcher8@example.org').length === 1, { what: 'the alert' });
    const confirmed = await stack.api.request(`/v1/admin/incidents/${incidentId}/confirm`, {
      method: 'POST',
      admin: true,
      json: { source: { name: 'Second Monitor' } },
    });
    expect(confirmed.status).toBe(200);
    await stack.settled();
    expect(await deliveriesTo('watcher8@example.org')).toEqual([
      { incidentId, alertType: 'incident.recorded', status: 'delivered', attempts: 1 },
      { incidentId, alertType: 'incident.confirmed', status: 'delivered', attempts: 1 },
    ]);
    const [alert, confirmation, ...more] = alertsTo('watcher8@example.org');
    expect(more).toHaveLength(0);
    expect(alert.subject).toMatch(/^Arrest/);
    expect(confirmation.subject).toMatch(/^Confirmed — Arrest/);
    expect(confirmation.subject).toContain('Fictional Vouched');
    expect(confirmation.text?.replace(/\s+/g, ' ')).toContain('has now been confirmed');
    expect(confirmation.text).toContain('Status: Confirmed');
  });

  it('delivers every alert exactly once after the SMTP server was down for a while', async () => {
    await confirm(await subscribe('watcher6@example.org', { persons: ['Fictional Down'] }));
    await smtp.down();
    const incidentId = await report({
      type: 'arrest',
      occurredOn: '2024-09-01',
      persons: [{ name: 'Fictional Down' }],
    });
    await waitFor(async () => (await deliveriesTo('watcher6@example.org'))[0]?.status === 'failed', {
      what: 'a failed try',
    });
    await smtp.up();
    // Counted once nothing is left to try: a retry after a mail that did arrive would show here.
    await stack.settled();
    expect(await deliveriesTo('watcher6@example.org')).toEqual([
      { incidentId, alertType: 'incident.recorded', status: 'delivered', attempts: expect.any(Number) },
    ]);
    expect((await deliveriesTo('watcher6@example.org'))[0].attempts).toBeGreaterThan(1);
    expect(alertsTo('watcher6@example.org')).toHaveLength(1);
  });

  it('does not retry an address the SMTP server refuses for good (5xx)', async () => {
    await confirm(await subscribe('refused@example.org', { persons: ['Fictional Refused'] }));
    smtp.rejectRecipients((address) => address === 'refused@example.org');
    try {
      await report({ type: 'arrest', occurredOn: '2024-09-09', persons: [{ name: 'Fictional Refused' }] });
      const dead = await waitFor(
        async () =>
          (
            await stack.db.pool.query(
              `SELECT d.status, d.attempts, d.last_error FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
                WHERE s.email_index = $1 AND d.status = 'dead'`,
              [addressIndexOf('refused@example.org')],
            )
          ).rows[0],
        { what: 'the dead delivery' },
      );
      expect(dead.attempts).toBe(1);
      expect(dead.last_error).toMatch(/550/);
      expect(dead.last_error).not.toContain('refused@example.org');
    } finally {
      smtp.rejectRecipients(null);
    }
  });

  it('finishes the work when Redis lost its jobs: the sweeper queues pending rows again', async () => {
    await confirm(await subscribe('watcher7@example.org', { persons: ['Fictional Flushed'] }));
    await stack.restartWorker(); // the worker now runs, but we remove its jobs under it
    const redis = createRedis(stack.config.redisUrl);
    await smtp.down();
    await report({ type: 'arrest', occurredOn: '2024-10-01', persons: [{ name: 'Fictional Flushed' }] });
    await waitFor(
      async () =>
        (
          await stack.db.pool.query(
            `SELECT 1 FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.email_index = $1`,
            [addressIndexOf('watcher7@example.org')],
          )
        ).rowCount,
      { what: 'the delivery row' },
    );
    const keys = await redis.keys(`${stack.config.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await smtp.up();
    await waitFor(() => alertsTo('watcher7@example.org').length === 1, {
      what: 'the swept alert',
      timeoutMs: 15_000,
    });
  });

  it('sends nothing new when the alert router replays the log from the start', async () => {
    await stack.settled();
    const before = smtp.messages.length;
    const {
      rows: [{ n: deliveries }],
    } = await stack.db.pool.query('SELECT count(*)::int AS n FROM deliveries');
    await stack.db.pool.query(
      `UPDATE consumer_checkpoints SET last_tx = '0', last_position = 0 WHERE name = 'alert-router'`,
    );
    await stack.db.pool.query(`SELECT pg_notify('vigil_events', '')`);
    await stack.settled();
    const {
      rows: [{ n: after }],
    } = await stack.db.pool.query('SELECT count(*)::int AS n FROM deliveries');
    expect(after).toBe(deliveries);
    expect(smtp.messages.length).toBe(before);
  });
});
