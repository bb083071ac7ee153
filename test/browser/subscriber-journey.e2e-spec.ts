import type { Browser, Page } from 'playwright-core';
import { alertMailsTo, mailsTo } from '../support/mails-to';
import { seedReports } from '../support/seed';
import { createSource, postSigned } from '../support/signed-webhook';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { launchBrowser, newPage, screenshots, seriousA11yViolations } from '../support/browser';

const ADDRESS = 'maryam@example.org';
/** The seed's arrest names her "Sharmin Maymandinejad"; the visitor types another spelling, in other case. */
const TYPED = 'sharmin MEYMANDINEJAD';

/**
 * The subscriber's whole journey in Chromium, against the real API and worker and a real SMTP server: subscribe
 * in Persian, confirm from the mail, receive the alert when a partner posts the seed's arrest, open /manage from
 * it, switch to minimal mails (which then name no one), and erase everything. Keyboard only through the form;
 * axe on every screen; screenshots for the README.
 */
describe('Subscriber journey (browser)', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let closeContext: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    [stack, browser] = await Promise.all([
      startTestStack({ smtpUrl: smtp.url, retrySchedule: [100, 200, 400] }),
      launchBrowser(),
    ]);
    const opened = await newPage(browser, { locale: 'fa-IR' });
    ({ page, problems } = opened);
    closeContext = () => opened.context.close();
  });
  afterAll(async () => {
    await closeContext?.();
    await browser?.close();
    await stack?.close();
    await smtp?.stop();
  });

  const alertsTo = (address: string) => alertMailsTo(smtp, address);
  /** A link of the mail, pointed at the test's API (the mails name PUBLIC_BASE_URL). */
  const linkIn = (mail: ReceivedMail, path: string) => {
    const found = new RegExp(`https?://[^\\s"<>/]+${path}\\?token=[^\\s"<>]+`).exec(mail.text ?? '');
    if (!found) throw new Error(`no ${path} link in the mail`);
    return found[0].replace(/^https?:\/\/[^/]+/, stack.api.baseUrl);
  };
  const accessible = async () => expect(await seriousA11yViolations(page)).toEqual([]);

  /** Presses Tab until the focused element matches: how a keyboard user gets there. */
  async function tabTo(selector: string): Promise<void> {
    for (let presses = 0; presses < 60; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it('subscribes, confirms, is alerted, manages, goes minimal and erases everything', async () => {
    const [harassment, arrest] = seedReports();
    const partner = await createSource(stack.api, 'Iran Human Rights');
    // An earlier report makes the society's name public: the form suggests it as one types.
    expect((await postSigned(stack.api, partner, harassment)).status).toBeLessThan(300);
    await stack.caughtUp();

    // The start page, in English for the screenshots, then in Persian as the visitor reads it.
    await page.goto(`${stack.api.baseUrl}/?lang=en`);
    await accessible();
    await screenshots(page, 'home', 'en');
    await page.goto(`${stack.api.baseUrl}/`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await accessible();
    await screenshots(page, 'home', 'fa');

    // Keyboard only: email, a person in another spelling, a suggested organisation tried and cleared, minimal off.
    await tabTo('#email');
    await page.keyboard.type(ADDRESS);
    await tabTo('input[name=persons]');
    await page.keyboard.type(TYPED);
    await tabTo('input[name=organizations]');
    await page.keyboard.type('Imam');
    await waitFor(
      async () =>
        (
          await page.$$eval('#organization-suggestions option', (options) =>
            options.map((o) => (o as unknown as { value: string }).value),
          )
        ).includes('Imam Ali Popular Student Relief Society'),
      { what: 'the suggestion of a name incidents made public' },
    );
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await tabTo('input[name=language][value=fa]');
    expect(await page.isChecked('input[name=language][value=fa]')).toBe(true);
    await tabTo('form[action^="/subscribe"] button[type=submit]');
    await Promise.all([page.waitForURL(/\/subscribe/), page.keyboard.press('Enter')]);
    expect(await page.textContent('h1')).toBe('ایمیل خود را ببینید');
    await accessible();
    await screenshots(page, 'subscribed', 'fa');

    // The confirmation mail, in Persian; its link opens a page with a button.
    const confirmation = await waitFor(() => mailsTo(smtp, ADDRESS)[0], { what: 'the confirmation mail' });
    expect(confirmation.subject).toBe('هشدارهای ویجیل را تأیید کنید');
    await page.goto(linkIn(confirmation, '/v1/subscriptions/confirm'));
    await accessible();
    await Promise.all([page.waitForURL(/confirm/), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('اشتراک تأیید شد');

    // The partner posts the arrest: one alert, in Persian, linking to /manage.
    expect((await postSigned(stack.api, partner, arrest)).status).toBeLessThan(300);
    await stack.settled();
    const [alert] = await waitFor(() => alertsTo(ADDRESS).length === 1 && alertsTo(ADDRESS), { what: 'the alert' });
    expect(alert.subject).toMatch(/^بازداشت: /);
    expect(alert.html).toContain('<html lang="fa" dir="rtl">');
    await page.goto(linkIn(alert, '/manage'));
    expect(await page.textContent('h1')).toBe('اشتراک شما');
    expect(await page.inputValue('input[name=persons] >> nth=0')).toBe(TYPED);
    expect(await page.textContent('.alerts')).toContain('Sharmin Maymandinejad');
    await accessible();
    await screenshots(page, 'manage', 'fa');
    await page.click('a[hreflang=en]');
    await accessible();
    await screenshots(page, 'manage', 'en');
    await page.click('a[hreflang=fa]');

    // Minimal mails from now on.
    await page.check('input[name=content][value=minimal]');
    await Promise.all([page.waitForURL(/done=saved/), page.click('form[action^="/manage?"] button[type=submit]')]);
    expect(await page.textContent('[role=status]')).toBe('تغییرات شما ذخیره شد.');
    await accessible();

    // Vigil confirms the arrest: the confirmation alert is minimal, and its raw message names no one.
    const incidentId = (await stack.db.pool.query(`SELECT id FROM read_incidents WHERE type = 'arrest'`)).rows[0].id;
    const confirmed = await stack.api.request(`/v1/admin/incidents/${incidentId}/confirm`, {
      method: 'POST',
      admin: true,
      json: {},
    });
    expect(confirmed.status).toBeLessThan(300);
    await stack.settled();
    const minimal = await waitFor(() => alertsTo(ADDRESS)[1], { what: 'the minimal alert' });
    const decoded = [
      ...[...minimal.headers.entries()].map(([name, value]) => `${name}: ${JSON.stringify(value)}`),
      minimal.subject ?? '',
      minimal.text ?? '',
      String(minimal.html ?? ''),
      minimal.raw.toString('utf8'),
    ].join('\n');
    const names = [
      ...arrest.persons.flatMap((p: { name: string; aliases?: string[] }) => [p.name, ...(p.aliases ?? [])]),
      ...arrest.organizations.flatMap((o: { name: string; aliases?: string[] }) => [o.name, ...(o.aliases ?? [])]),
      arrest.location,
      TYPED,
      'Sharmin',
      'Meymandinejad',
      'Maymandinejad',
    ];
    for (const name of names) expect(decoded.toLowerCase()).not.toContain(String(name).toLowerCase());
    expect(minimal.subject).toBe('خبری تازه دربارهٔ پرونده‌ای که دنبال می‌کنید');

    // A report whose summary carries markup: shown on the manage page as text, never run.
    const hostile = {
      ...arrest,
      externalId: 'hostile-summary',
      // Another arrest, a year later: a day apart would be the same arrest (docs/architecture.md, "Matching").
      occurredOn: '2021-06-22',
      summary: '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">',
    };
    expect((await postSigned(stack.api, partner, hostile)).status).toBeLessThan(300);
    await stack.settled();
    const third = await waitFor(() => alertsTo(ADDRESS)[2], { what: 'the third alert' });
    await page.goto(linkIn(third, '/manage'));
    expect(await page.textContent('.alerts')).toContain('<script>window.__pwned = true</script>');
    expect(await page.evaluate('window.__pwned === undefined')).toBe(true);
    expect(await page.$$('.alerts script, .alerts img')).toHaveLength(0);

    // Erase everything: the subscription and every trace go.
    await Promise.all([page.waitForURL(/manage\/erase/), page.click('form[action^="/manage/erase"] button')]);
    expect(await page.textContent('h1')).toBe('همه چیز پاک شد');
    await accessible();
    const left = await stack.db.pool.query(`SELECT count(*)::int AS n FROM subscriptions WHERE channel = 'email'`);
    expect(left.rows[0].n).toBe(0);
    const watches = await stack.db.pool.query('SELECT count(*)::int AS n FROM subscription_watches');
    expect(watches.rows[0].n).toBe(0);
    expect(problems).toEqual([]);
    // One journey of a dozen screens, each checked by axe and some photographed twice: longer than one request.
  }, 180_000);
});
