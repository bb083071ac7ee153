import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshots, seriousA11yViolations } from '../support/browser';
import { postForm, readPageForm } from '../support/page-form';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { createSource, postSigned } from '../support/signed-webhook';
import { TEST_ADMIN_TOKEN } from '../support/test-environment';
import { answer, startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { watchByWebhook } from '../support/webhook-subscription';

/**
 * The admin console in a real Chromium, over the real API and worker: the journey of the person who records and
 * checks incidents, accessibility on every screen (both languages), and the session's security.
 */
describe('Admin console (browser)', () => {
  let stack: TestStack;
  let browser: Browser;
  let partner: TestHttpReceiver;

  beforeAll(async () => {
    [stack, browser, partner] = await Promise.all([startTestStack(), launchBrowser(), startTestHttpReceiver()]);
  });
  afterAll(async () => {
    await browser?.close();
    await partner?.close();
    await stack?.close();
  });

  const url = (path: string) => `${stack.api.baseUrl}${path}`;

  /** No serious or critical axe violation on the page as it is now. */
  async function accessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /** Clicks a submit button and waits for the page its form leads to. */
  async function submit(page: Page, selector: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  async function signIn(page: Page, language = 'en'): Promise<void> {
    await page.goto(url(`/admin?lang=${language}`));
    await page.fill('#token', TEST_ADMIN_TOKEN);
    await submit(page, 'button[type=submit]');
  }

  it('walks the admin journey: sign in, record the release before the arrest, confirm, retract, retry a dead delivery, rebuild, sign out', async () => {
    // A partner's system that watches the society's founder by webhook, and is down: its alerts will end dead.
    partner.fallback = answer(500);
    await watchByWebhook(stack.api, {
      url: `${partner.url}/hook`,
      watch: { persons: ['Sharmin Maymandinejad'], organizations: [] },
    });

    const { context, page, problems } = await newPage(browser);
    try {
      // Without a session the console sends the browser to the sign-in form.
      await page.goto(url('/admin?lang=en'));
      expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
      await accessible(page);
      await screenshots(page, 'admin-sign-in', 'en');

      // A wrong token is refused on the form, and counts as a failed admin sign-in.
      await page.fill('#token', 'not-the-admin-token-not-the-admin-token');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('button[type=submit]'),
      ]);
      expect(refused.status()).toBe(401);
      expect(await page.textContent('[role=alert]')).toContain('not right');

      await page.fill('#token', TEST_ADMIN_TOKEN);
      await submit(page, 'button[type=submit]');
      expect(new URL(page.url()).pathname).toBe('/admin');
      expect(await page.textContent('h1')).toBe('Dashboard');

      const session = (await context.cookies()).find((c) => c.name === 'vigil_admin');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/admin' });
      // 12 hours, give or take the test's own seconds.
      expect(session!.expires * 1000 - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);
      expect(session!.expires * 1000 - Date.now()).toBeLessThanOrEqual(12 * 3600_000 + 1_000);

      // The release of Zahra Rahimi is recorded before her arrest reaches Vigil; its summary carries markup.
      await page.click('nav.console a[href^="/admin/incidents/new"]');
      await page.waitForSelector('#r-type');
      await accessible(page);
      await page.selectOption('#r-type', 'release');
      await page.fill('#r-occurredOn', '2020-09-07');
      await page.fill('#r-persons', 'Zahra Rahimi');
      await page.fill('#r-location', 'Tehran');
      await page.fill('#r-summary', 'Released the day after her arrest. <script>window.injected = true</script>');
      await page.fill('#r-sourceName', 'Iran Human Rights');
      await page.fill('#r-sourceUrl', 'https://iranhr.net/');
      await page.selectOption('#r-sourceStatus', 'confirmed');
      await submit(page, 'form[action^="/admin/incidents"] button[type=submit]');
      expect(new URL(page.url()).pathname).toMatch(/^\/admin\/incidents\/[0-9a-f-]{36}$/);
      const releaseUrl = page.url().split('?')[0];
      expect(await page.textContent('[role=status]')).toContain('recorded');
      // The summary is text: shown with its angle brackets, never run.
      expect(await page.textContent('main')).toContain('<script>window.injected = true</script>');
      expect(await page.evaluate('window.injected')).toBeUndefined();
      expect(await page.$('main script')).toBeNull();
      await accessible(page);

      // The partner posts the whole seed case, the arrest of 6 September among it.
      const source = await createSource(stack.api, 'Iran Human Rights');
      // A later report of one of its arrests corroborates it (200) rather than recording it again (201).
      for (const report of seedReports())
        expect((await postSigned(stack.api, source, report)).status).toBeLessThan(300);
      await stack.caughtUp();

      // Her status is `released`: the latest by when it happened, not by when it arrived.
      await page.goto(url('/admin/persons?lang=en'));
      await page.fill('#q', 'Rahimi');
      await submit(page, 'form[role=search] button');
      await accessible(page);
      await Promise.all([page.waitForNavigation(), page.click('text=Zahra Rahimi')]);
      expect(await page.getAttribute('#subject-status', 'data-status')).toBe('released');
      const timeline = await page.$$eval('main table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
      // Newest first by when it happened: the release of 7 September (the admin's, which the partner's report
      // of the same day corroborates: one incident, two voices), then the arrest.
      expect(timeline.length).toBe(2);
      expect(timeline[0]).toContain('Release');
      expect(timeline[1]).toContain('Arrest');
      await accessible(page);

      // She is confirmed released.
      await page.goto(releaseUrl + '?lang=en');
      await page.fill('#confirm-source', 'Her family');
      await submit(page, 'form[action*="/confirm"] button');
      expect(await page.textContent('[role=status]')).toContain('confirmed');
      expect(await page.textContent('main dl')).toContain('Confirmed');

      // The execution report is retracted.
      await page.goto(url('/admin/incidents?lang=en'));
      await page.selectOption('#f-type', 'execution');
      await submit(page, 'form[role=search] button');
      const executions = await page.$$('main tbody tr');
      expect(executions.length).toBe(1);
      await accessible(page);
      await Promise.all([page.waitForNavigation(), page.click('main tbody a[href*="/admin/incidents/"]')]);
      await page.fill('#retract-reason', 'The source withdrew the report.');
      await submit(page, 'form[action*="/retract"] button');
      expect(await page.textContent('[role=status]')).toContain('retracted');
      expect(await page.textContent('main')).toContain('Retracted: The source withdrew the report.');

      // The partner's alerts died while it was down; it is back, and the admin retries one.
      await stack.settled();
      partner.fallback = answer(204);
      await page.goto(url('/admin?lang=en'));
      expect(await page.textContent('main dl')).toMatch(/\d+ dead/);
      await Promise.all([page.waitForNavigation(), page.click('a[href*="status=dead"]')]);
      await accessible(page);
      const deadRows = await page.$$('main tbody tr');
      expect(deadRows.length).toBeGreaterThan(0);
      const before = partner.requests.length;
      const action = (await page.getAttribute('main tbody tr:first-child form', 'action')) ?? '';
      const retried = /\/admin\/deliveries\/([0-9a-f-]{36})\/retry/.exec(action)![1];
      await submit(page, 'main tbody tr:first-child form button');
      expect(await page.textContent('[role=status]')).toContain('queued again');
      await waitFor(
        async () => {
          const { items } = await readJson(await stack.api.request('/v1/admin/deliveries?limit=500', { admin: true }));
          const row = items.find((d: { id: string }) => d.id === retried);
          if (row.status !== 'delivered') throw new Error(JSON.stringify(row));
          return true;
        },
        { what: 'the retried delivery to be delivered', timeoutMs: 30_000 },
      );
      expect(partner.requests.length).toBe(before + 1);

      // A projection is rebuilt from the log, and ends where it was.
      await page.goto(url('/admin?lang=en'));
      await accessible(page);
      await submit(page, 'form[action^="/admin/projections/persons/rebuild"] button');
      expect(await page.textContent('[role=status]')).toContain('rebuilt');
      await stack.caughtUp();
      const [rahimi] = (await readJson(await stack.api.request('/v1/admin/persons?q=Rahimi', { admin: true }))).items;
      expect(rahimi.status).toBe('released');

      // Signing out ends the session on the server: the old cookie opens nothing any more.
      const cookie = (await context.cookies()).find((c) => c.name === 'vigil_admin')!;
      await submit(page, 'nav.console button');
      expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
      expect((await context.cookies()).find((c) => c.name === 'vigil_admin')).toBeUndefined();
      const replayed = await fetch(url('/admin'), {
        headers: { cookie: `vigil_admin=${cookie.value}` },
        redirect: 'manual',
      });
      expect(replayed.status).toBe(303);
      expect(replayed.headers.get('location')).toContain('/admin/sign-in');

      // Only failures the page itself would log: the name suggestions may not be served on this branch.
      expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('merges two spellings: two partners’ reports make two persons, seen in review and as similar names, merged into one with both names, and unmerged', async () => {
    // Two partners write one man's name two ways; the intake keeps the spellings apart (decision 0017).
    const [template] = seedReports();
    const report = (externalId: string, occurredOn: string, name: string) => ({
      ...template,
      externalId,
      occurredOn,
      persons: [{ name }],
      organizations: [],
    });
    const mey = 'Navid Meymandinejad';
    const may = 'Navid Maymandinejad';
    const first = await createSource(stack.api, 'First Partner');
    const second = await createSource(stack.api, 'Second Partner');
    expect((await postSigned(stack.api, first, report('spelling-1', '2015-05-01', mey))).status).toBe(201);
    expect((await postSigned(stack.api, second, report('spelling-2', '2016-05-01', may))).status).toBe(201);
    // A third spelling stays in review after this journey, for the screens below.
    expect(
      (await postSigned(stack.api, second, report('spelling-3', '2017-05-01', `${mey.slice(0, -3)}zhad`))).status,
    ).toBe(201);
    await stack.caughtUp();

    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page);
      // The dashboard says what waits in review and leads there.
      expect(await page.textContent('#review-count')).toMatch(/\d+ waiting/);
      await Promise.all([page.waitForNavigation(), page.click('#review-count')]);
      expect(new URL(page.url()).pathname).toBe('/admin/review');
      const pair = page.locator('main tbody tr', { hasText: mey }).filter({ hasText: may });
      expect(await pair.count()).toBe(1);
      expect(await pair.textContent()).toContain('the same transliteration in Latin letters');
      await accessible(page);

      // One of the two: the other is a similar name, with why.
      await Promise.all([page.waitForNavigation(), pair.locator(`a:text-is("${mey}")`).click()]);
      expect(await page.textContent('h1')).toBe(mey);
      const similar = page.locator('#similar tbody tr', { hasText: may });
      expect(await similar.textContent()).toContain('the same transliteration in Latin letters');
      await accessible(page);

      // Merge it into the other, chosen from the similar list; a mistyped id first is refused on the form.
      await Promise.all([page.waitForNavigation(), similar.locator('a', { hasText: 'Merge this one into' }).click()]);
      expect(await page.isChecked('input[name=into][type=radio]:checked')).toBe(true);
      expect(await page.getAttribute('input[name=into]:checked', 'value')).toMatch(/^[0-9a-f-]{36}$/);
      await accessible(page);
      await screenshots(page, 'admin-merge', 'en');
      await page.fill('#merge-into-id', '00000000-0000-4000-8000-000000000000');
      await page.fill('#merge-reason', 'Two partners spell one man’s name two ways.');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('form[method=post][action*="/merge"] button[type=submit]'),
      ]);
      expect(refused.status()).toBe(404);
      expect(await page.textContent('[role=alert]')).toContain('does not exist');
      await accessible(page);
      await page.fill('#merge-into-id', '');
      expect(await page.inputValue('#merge-reason')).toBe('Two partners spell one man’s name two ways.');
      await submit(page, 'form[method=post][action*="/merge"] button[type=submit]');

      // One person with both names and both reports; the merged id's page shows the survivor.
      expect(await page.textContent('h1')).toBe(may);
      expect(await page.textContent('[role=status]')).toContain('Merged');
      expect(await page.textContent('#subject-aliases')).toContain(mey);
      const survivorUrl = page.url().split('?')[0];
      const mergedRow = page.locator('#merged-from tbody tr');
      const mergedId = (await mergedRow.getAttribute('data-id'))!;
      await accessible(page);
      await screenshots(page, 'admin-person-merged', 'en');
      await page.goto(url(`/admin/persons/${mergedId}?lang=en`));
      expect(await page.textContent('h1')).toBe(may);
      expect(await page.textContent('#opened-merged')).toContain(mergedId);

      // It was two men after all: unmerged, each stands alone again.
      await page.goto(`${survivorUrl}?lang=en`);
      await page.fill('#unmerge-reason-0', 'Two men after all.');
      await submit(page, 'form[action*="/unmerge"] button');
      expect(await page.textContent('h1')).toBe(mey);
      expect(await page.textContent('[role=status]')).toContain('Unmerged');
      expect(await page.textContent('#subject-aliases')).not.toContain(may);
      await accessible(page);

      // Not the same: dismissed from the review list for good.
      await page.goto(url('/admin/review?lang=en'));
      const open = page.locator('main tbody tr', { hasText: mey }).filter({ hasText: may });
      await Promise.all([page.waitForNavigation(), open.locator('button').click()]);
      expect(await page.textContent('[role=status]')).toContain('Dismissed');
      expect(await open.count()).toBe(0);
      expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it.each(['en', 'fa'])(
    'shows every screen accessibly in %s, right to left in Persian, with screenshots',
    async (language) => {
      const { context, page } = await newPage(browser);
      try {
        await signIn(page, language);
        expect(await page.getAttribute('html', 'dir')).toBe(language === 'fa' ? 'rtl' : 'ltr');
        const [incident] = (
          await readJson(await stack.api.request('/v1/admin/incidents?type=release', { admin: true }))
        ).items;
        const [person] = (await readJson(await stack.api.request('/v1/admin/persons?q=Rahimi', { admin: true }))).items;
        const [organization] = (await readJson(await stack.api.request('/v1/admin/organizations', { admin: true })))
          .items;
        const screens: [string, string][] = [
          ['admin-dashboard', '/admin'],
          ['admin-incidents', '/admin/incidents'],
          ['admin-record', '/admin/incidents/new'],
          ['admin-incident', `/admin/incidents/${incident.id}`],
          ['admin-persons', '/admin/persons?q=Rahimi'],
          ['admin-person', `/admin/persons/${person.id}`],
          ['admin-organizations', '/admin/organizations'],
          ['admin-organization', `/admin/organizations/${organization.id}`],
          ['admin-review', '/admin/review'],
          ['admin-merge', `/admin/persons/${person.id}/merge?q=Amani`],
          ['admin-sources', '/admin/sources'],
          ['admin-webhooks', '/admin/webhooks'],
          ['admin-deliveries', '/admin/deliveries'],
          ['admin-subscriptions', '/admin/subscriptions'],
          ['admin-events', '/admin/events'],
        ];
        for (const [name, path] of screens) {
          const response = await page.goto(url(`${path}${path.includes('?') ? '&' : '?'}lang=${language}`));
          expect([name, response?.status()]).toEqual([name, 200]);
          expect([name, await seriousA11yViolations(page)]).toEqual([name, []]);
          if (
            [
              'admin-dashboard',
              'admin-incident',
              'admin-record',
              'admin-person',
              'admin-deliveries',
              'admin-review',
            ].includes(name)
          ) {
            await screenshots(page, name, language);
          }
        }
        // A new source: its secret is shown on the answer page, once.
        await page.goto(url(`/admin/sources?lang=${language}`));
        await page.fill('#s-name', `Partner ${language}`);
        const [created] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.click('form[action^="/admin/sources"] button[type=submit] >> nth=-1'),
        ]);
        expect(created.status()).toBe(201);
        expect(await page.textContent('#secret')).toMatch(/^whsec_/);
        expect(page.url()).not.toContain('whsec_');
        await accessible(page);
        await screenshots(page, 'admin-secret', language);
      } finally {
        await context.close();
      }
    },
    // Thirteen screens with axe in each, and screenshots: long on a loaded machine, seconds on an idle one.
    120_000,
  );

  describe('security', () => {
    it('sends every console page to the sign-in form without a session', async () => {
      for (const path of [
        '/admin',
        '/admin/incidents',
        '/admin/incidents/new',
        '/admin/persons',
        '/admin/review',
        '/admin/sources',
        '/admin/events',
      ]) {
        const response = await fetch(url(`${path}?lang=fa`), { redirect: 'manual' });
        expect([path, response.status, response.headers.get('location')]).toEqual([
          path,
          303,
          '/admin/sign-in?lang=fa',
        ]);
      }
      const forged = await fetch(url('/admin'), {
        headers: { cookie: `vigil_admin=${'A'.repeat(43)}` },
        redirect: 'manual',
      });
      expect(forged.status).toBe(303);
      const post = await postForm(stack.api.baseUrl, '/admin/sources', { name: 'Sneaky' });
      expect(post.status).toBe(303);
    });

    it('refuses a POST without the CSRF token of the session with 403, and does nothing', async () => {
      const signInPage = await fetch(url('/admin/sign-in'));
      const form = await readPageForm(signInPage);
      // The sign-in form itself needs the token of the browser's CSRF cookie.
      expect((await postForm(stack.api.baseUrl, form.action, { token: TEST_ADMIN_TOKEN }, form.cookie)).status).toBe(
        403,
      );
      const signedIn = await postForm(
        stack.api.baseUrl,
        form.action,
        { _csrf: form.csrf, token: TEST_ADMIN_TOKEN },
        form.cookie,
      );
      expect(signedIn.status).toBe(303);
      const session = signedIn.headers.get('set-cookie')!.split(';')[0];

      const sourcesBefore = (await readJson(await stack.api.request('/v1/admin/sources?limit=500', { admin: true })))
        .items.length;
      const without = await postForm(stack.api.baseUrl, '/admin/sources', { name: 'Forged' }, session);
      expect(without.status).toBe(403);
      const wrong = await postForm(stack.api.baseUrl, '/admin/sources', { name: 'Forged', _csrf: form.csrf }, session);
      expect(wrong.status).toBe(403);
      const sourcesAfter = (await readJson(await stack.api.request('/v1/admin/sources?limit=500', { admin: true })))
        .items.length;
      expect(sourcesAfter).toBe(sourcesBefore);

      // With the session's own token (from any of its pages) the same form goes through.
      // (Every form of a session carries the same token; the first is the sign-out in the navigation.)
      const page = await readPageForm(await fetch(url('/admin/sources'), { headers: { cookie: session } }), session);
      const made = await postForm(stack.api.baseUrl, '/admin/sources', { name: 'Genuine', _csrf: page.csrf }, session);
      expect(made.status).toBe(201);
    });

    it('counts failed sign-ins with failed admin bearer tokens: the 21st failure of a minute is refused', async () => {
      const client = { 'x-forwarded-for': '203.0.113.77' };
      const signInPage = await fetch(url('/admin/sign-in'), { headers: client });
      const form = await readPageForm(signInPage);
      const attempt = (token: string) =>
        fetch(url(form.action), {
          method: 'POST',
          headers: { ...client, cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: form.csrf, token }).toString(),
          redirect: 'manual',
        });
      for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
      // The admin API's bearer check draws on the same budget for this address.
      for (let i = 0; i < 10; i++) {
        const api = await fetch(url('/v1/admin/sources'), { headers: { ...client, authorization: 'Bearer wrong' } });
        expect(api.status).toBe(401);
      }
      expect((await attempt('wrong-again')).status).toBe(429);
      expect((await attempt(TEST_ADMIN_TOKEN)).status).toBe(429);
    });
  });
});
