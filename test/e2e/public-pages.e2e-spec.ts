import { SecretBox } from '@vigil/platform';
import { startApiOnTestDatabase, type ApiOnTestDatabase } from '../support/test-api-database';
import { postForm, readPageForm } from '../support/page-form';
import { addressIndexOf } from '../support/subscriber-data';
import { testConfig } from '../support/test-config';

/** The start page, the subscribe form and the manage page over HTTP: what they write, and what they refuse. */
describe('Public pages', () => {
  let stack: ApiOnTestDatabase;

  beforeAll(async () => {
    stack = await startApiOnTestDatabase();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const count = async () => (await stack.db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n;
  const rowOf = async (email: string) =>
    (
      await stack.db.pool.query(
        `SELECT id, status, language, content, types, unsubscribe_token_box AS box FROM subscriptions WHERE email_index = $1`,
        [addressIndexOf(email)],
      )
    ).rows[0];

  async function subscribeByForm(fields: Record<string, string | string[]>, lang = 'en') {
    const page = await stack.api.request(`/?lang=${lang}`);
    const { cookie, csrf, action } = await readPageForm(page);
    return postForm(stack.api.baseUrl, action, { ...fields, _csrf: csrf }, cookie);
  }

  /** The manage token of a subscription: the unsubscribe token every mail carries, sealed at rest. */
  const manageTokenOf = async (email: string) =>
    new SecretBox(testConfig({ databaseUrl: 'unused' }).secretsKey).open((await rowOf(email)).box);

  it('serves the start page in English and Persian, by ?lang= or Accept-Language, under 50 KiB with its assets', async () => {
    const fa = await stack.api.request('/', { headers: { 'accept-language': 'fa-IR,fa;q=0.9,en;q=0.5' } });
    const faHtml = await fa.text();
    expect(faHtml).toContain('<html lang="fa" dir="rtl">');
    const en = await stack.api.request('/?lang=en', { headers: { 'accept-language': 'fa' } });
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en" dir="ltr">');
    expect(enHtml).toContain('What Vigil does not do');
    expect(en.headers.get('content-security-policy')).toBe(
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'; img-src 'self'",
    );
    expect(en.headers.get('referrer-policy')).toBe('no-referrer');
    const assets = [...enHtml.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(assets).toHaveLength(3);
    let total = Buffer.byteLength(enHtml);
    for (const asset of assets) {
      const answer = await stack.api.request(asset);
      expect(answer.status).toBe(200);
      total += (await answer.arrayBuffer()).byteLength;
    }
    expect(total).toBeLessThan(50 * 1024);
  });

  it('subscribes through the form in Persian with minimal content, as the API would, and answers to check the mail', async () => {
    const answer = await subscribeByForm(
      {
        email: 'form@example.org',
        persons: ['شرمین میمندی‌نژاد', '', ''],
        organizations: ['', ''],
        types: ['arrest', 'release'],
        language: 'fa',
        content: 'minimal',
      },
      'fa',
    );
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('ایمیل خود را ببینید');
    expect(await rowOf('form@example.org')).toMatchObject({
      status: 'pending',
      language: 'fa',
      content: 'minimal',
      types: ['arrest', 'release'],
    });
    const { rows } = await stack.db.pool.query('SELECT count(*)::int AS n FROM confirmation_mails');
    expect(rows[0].n).toBe(1);
  });

  it('refuses a form without its CSRF token with 403 and writes nothing', async () => {
    const before = await count();
    const page = await stack.api.request('/');
    const { cookie, action } = await readPageForm(page);
    const fields = { email: 'csrf@example.org', persons: 'Someone', language: 'en', content: 'full' };
    expect((await postForm(stack.api.baseUrl, action, fields, cookie)).status).toBe(403);
    expect((await postForm(stack.api.baseUrl, action, { ...fields, _csrf: 'x' }, cookie)).status).toBe(403);
    // A token from another browser's cookie does not pass with this one.
    const other = await readPageForm(await stack.api.request('/'));
    expect((await postForm(stack.api.baseUrl, action, { ...fields, _csrf: other.csrf }, cookie)).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('shows a refused form again with its values and the errors in the visitor’s language, writing nothing', async () => {
    const before = await count();
    const answer = await subscribeByForm({ email: 'not an address', persons: ['', ''], language: 'fa' }, 'fa');
    expect(answer.status).toBe(400);
    const html = await answer.text();
    expect(html).toContain('یک نشانی ایمیل درست وارد کنید.');
    expect(html).toContain('value="not an address"');
    const noNames = await subscribeByForm({ email: 'nonames@example.org', persons: ['', ''], language: 'fa' }, 'fa');
    expect(noNames.status).toBe(400);
    expect(await noNames.text()).toContain('دست‌کم نام یک فرد یا سازمان را برای پیگیری وارد کنید.');
    expect(await count()).toBe(before);
  });

  it('manages a subscription behind its token: GET changes nothing; change, pause, resume and erase are CSRF posts', async () => {
    await subscribeByForm({
      email: 'manage@example.org',
      persons: 'Fictional Manager',
      language: 'en',
      content: 'full',
    });
    const token = await manageTokenOf('manage@example.org');
    const before = await rowOf('manage@example.org');

    const page = await stack.api.request(`/manage?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.clone().text();
    expect(html).toContain('value="Fictional Manager"');
    expect(html).not.toContain('manage@example.org');
    expect(await rowOf('manage@example.org')).toEqual(before);

    const forms = await Promise.all([0, 1, 2].map(async (i) => readPageForm(page.clone(), '', i)));
    const { cookie, csrf } = forms[0];
    expect(forms[0].action).toBe('/manage?lang=en');
    const change = await postForm(
      stack.api.baseUrl,
      '/manage?lang=en',
      { token, _csrf: csrf, persons: ['Fictional Manager', 'Second Name'], language: 'fa', content: 'minimal' },
      cookie,
    );
    expect(change.status).toBe(303);
    expect(change.headers.get('location')).toMatch(/^\/manage\?token=.+&lang=fa&done=saved$/);
    expect(await rowOf('manage@example.org')).toMatchObject({ language: 'fa', content: 'minimal', types: null });
    const after = await (await stack.api.request(change.headers.get('location')!, { headers: { cookie } })).text();
    expect(after).toContain('تغییرات شما ذخیره شد.');
    expect(after).toContain('value="Second Name"');

    // Without the CSRF token: 403 and nothing changes.
    expect((await postForm(stack.api.baseUrl, '/manage/erase', { token }, cookie)).status).toBe(403);
    expect((await postForm(stack.api.baseUrl, '/manage/pause', { token, _csrf: csrf })).status).toBe(403);

    expect((await postForm(stack.api.baseUrl, '/manage/pause', { token, _csrf: csrf }, cookie)).status).toBe(303);
    // Pending: only an active subscription pauses.
    expect((await rowOf('manage@example.org')).status).toBe('pending');
    await stack.db.pool.query(`UPDATE subscriptions SET status = 'active' WHERE id = $1`, [before.id]);
    await postForm(stack.api.baseUrl, '/manage/pause', { token, _csrf: csrf }, cookie);
    expect((await rowOf('manage@example.org')).status).toBe('paused');
    await postForm(stack.api.baseUrl, '/manage/resume', { token, _csrf: csrf }, cookie);
    expect((await rowOf('manage@example.org')).status).toBe('active');

    const erase = await postForm(stack.api.baseUrl, '/manage/erase?lang=en', { token, _csrf: csrf }, cookie);
    expect(erase.status).toBe(200);
    expect(await erase.text()).toContain('Everything is erased');
    expect(await rowOf('manage@example.org')).toBeUndefined();
    const { rows } = await stack.db.pool.query(
      'SELECT count(*)::int AS n FROM subscription_watches WHERE subscription_id = $1',
      [before.id],
    );
    expect(rows[0].n).toBe(0);
    expect((await stack.api.request(`/manage?token=${encodeURIComponent(token)}`)).status).toBe(404);
  });

  it('never suggests a name only a subscriber typed, and refuses a bad kind with 400', async () => {
    // Suggestions come from the read models the worker fills (the browser journey shows a known name suggested).
    await subscribeByForm({
      email: 'secret@example.org',
      persons: 'Sharmin Secretwatch',
      language: 'en',
      content: 'full',
    });
    const answer = await stack.api.request(`/suggestions?kind=person&q=${encodeURIComponent('Sharmin Se')}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ names: [] });
    expect((await stack.api.request('/suggestions?kind=subscriber&q=a')).status).toBe(400);
  });
});
