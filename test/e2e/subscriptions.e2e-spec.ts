import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { readJson } from '../support/read-json';
import { postForm, readPageForm } from '../support/page-form';
import { waitFor } from '../support/wait-for';
import { addressIndexOf } from '../support/subscriber-data';
import { tokenIn } from '../support/mail-link';
import { mailsTo } from '../support/mails-to';

describe('Subscriptions API', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  const subscribe = (body: unknown, ip = '198.51.100.1') =>
    stack.api.request('/v1/subscriptions', { method: 'POST', json: body, headers: { 'x-forwarded-for': ip } });

  it('answers the same 202 for a new, a pending and an active address, and mails at most 3 confirmations a day', async () => {
    const body = { email: 'same@example.org', watch: { persons: ['Fictional Same'] } };
    const first = await subscribe(body);
    await waitFor(() => mailsTo(smtp, 'same@example.org').length === 1, { what: 'the first confirmation' });
    const token = tokenIn(mailsTo(smtp, 'same@example.org')[0], '/v1/subscriptions/confirm');
    expect((await stack.api.request('/v1/subscriptions/confirm', { method: 'POST', json: { token } })).status).toBe(
      200,
    );

    const answers = [first];
    for (let i = 0; i < 4; i++) answers.push(await subscribe(body));
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(await readJson(answer)).toEqual({ status: 'pending_confirmation' });
    }
    await waitFor(() => mailsTo(smtp, 'same@example.org').length === 3, { what: 'three confirmations' });
    const { rows } = await stack.db.pool.query('SELECT count(*)::int AS n FROM subscriptions WHERE email_index = $1', [
      addressIndexOf('same@example.org'),
    ]);
    expect(rows[0].n).toBe(5);
    expect(mailsTo(smtp, 'same@example.org')).toHaveLength(3);
  });

  it('refuses a 21st subscription from one client within the hour with 429 and Retry-After', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < 20; i++) {
      expect(
        (await subscribe({ email: `flood${i}@example.org`, watch: { persons: ['Fictional Flood'] } }, ip)).status,
      ).toBe(202);
    }
    const refused = await subscribe({ email: 'flood20@example.org', watch: { persons: ['Fictional Flood'] } }, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(
      (await subscribe({ email: 'other@example.org', watch: { persons: ['Fictional Flood'] } }, '203.0.113.10')).status,
    ).toBe(202);
  });

  it('serves a confirmation page on GET without confirming, and confirms once by form (with its CSRF token) or JSON', async () => {
    await subscribe({ email: 'page@example.org', watch: { organizations: ['Fictional Org'] }, types: ['arrest'] });
    const mail = await waitFor(() => mailsTo(smtp, 'page@example.org')[0], { what: 'the confirmation' });
    const token = tokenIn(mail, '/v1/subscriptions/confirm');
    const page = await stack.api.request(`/v1/subscriptions/confirm?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.clone().text();
    expect(html).toContain('<form method="post"');
    // Nothing from elsewhere: the stylesheet is Vigil's own, and there is no inline script.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/|<script>/);
    const { rows } = await stack.db.pool.query('SELECT status FROM subscriptions WHERE email_index = $1', [
      addressIndexOf('page@example.org'),
    ]);
    expect(rows).toEqual([{ status: 'pending' }]);

    const { cookie, csrf, action } = await readPageForm(page);
    const forged = await postForm(stack.api.baseUrl, action, { token, _csrf: 'forged' }, cookie);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('This form has expired');
    const withoutCookie = await postForm(stack.api.baseUrl, action, { token, _csrf: csrf });
    expect(withoutCookie.status).toBe(403);
    expect(
      (
        await stack.db.pool.query('SELECT status FROM subscriptions WHERE email_index = $1', [
          addressIndexOf('page@example.org'),
        ])
      ).rows,
    ).toEqual([{ status: 'pending' }]);

    const form = await postForm(stack.api.baseUrl, action, { token, _csrf: csrf }, cookie);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Subscription confirmed');
    const again = await stack.api.request('/v1/subscriptions/confirm', { method: 'POST', json: { token } });
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it.each([
    [{ email: 'not-an-address', watch: { persons: ['X'] } }, 'email'],
    [{ email: 'a@example.org', watch: {} }, 'watch'],
    [{ email: 'a@example.org', watch: { persons: ['   '] } }, 'watch.persons'],
    [{ email: 'a@example.org', watch: { persons: ['\u200c'] } }, 'watch.persons[0]'],
    [{ email: 'a@example.org', watch: { persons: ['00000000-0000-4000-8000-000000000000'] } }, 'watch.persons[0]'],
    [{ email: 'a@example.org', watch: { persons: ['X'] }, types: ['abduction'] }, 'types'],
    [{ email: 'a@example.org', watch: { persons: ['X'] }, extra: 1 }, 'extra'],
  ])('refuses a bad subscription (%j) with 400 naming %s, storing nothing', async (body, path) => {
    const before = (await stack.db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n;
    const response = await subscribe(body, '192.0.2.50');
    expect(response.status).toBe(400);
    const problem = await readJson(response);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n).toBe(before);
  });

  it('answers unknown tokens with 400, and lists and erases subscriptions for the admin', async () => {
    expect(
      (await stack.api.request('/v1/subscriptions/confirm', { method: 'POST', json: { token: 'nope' } })).status,
    ).toBe(400);
    expect((await stack.api.request('/v1/subscriptions/unsubscribe?token=nope', { method: 'POST' })).status).toBe(400);
    for (let i = 0; i < 5; i++) {
      expect(
        (await subscribe({ email: `listed${i}@example.org`, watch: { persons: ['X'] } }, '192.0.2.60')).status,
      ).toBe(202);
    }
    const whole = await readJson(await stack.api.request('/v1/admin/subscriptions?limit=500', { admin: true }));
    expect(whole.items.length).toBeGreaterThanOrEqual(5);
    const list = await readJson(await stack.api.request('/v1/admin/subscriptions?limit=2', { admin: true }));
    expect(list.items).toHaveLength(2);
    expect(list.items[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        email: expect.any(String),
        status: expect.any(String),
        watch: expect.any(Object),
      }),
    );
    const next = await readJson(
      await stack.api.request(`/v1/admin/subscriptions?limit=2&cursor=${list.nextCursor}`, { admin: true }),
    );
    // Page 2 starts right after page 1's last row: neither repeated nor skipped.
    const id = (s: { id: string }) => s.id;
    expect([...list.items, ...next.items].map(id)).toEqual(whole.items.slice(0, 4).map(id));
    expect(
      (await stack.api.request(`/v1/admin/subscriptions/${list.items[0].id}`, { method: 'DELETE', admin: true }))
        .status,
    ).toBe(204);
    const { rows } = await stack.db.pool.query('SELECT 1 FROM subscriptions WHERE id = $1', [list.items[0].id]);
    expect(rows).toEqual([]);
    expect((await stack.api.request('/v1/admin/subscriptions')).status).toBe(401);
  });

  it('keeps addresses out of the event log', async () => {
    const { rows } = await stack.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE data::text LIKE '%@example.org%' OR metadata::text LIKE '%@example.org%'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
