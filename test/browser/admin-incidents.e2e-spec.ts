import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshots, seriousA11yViolations } from '../support/browser';
import { seedDisputedArrest } from '../support/disputed-arrest';
import { readJson } from '../support/read-json';
import { createSource, reportIncident } from '../support/signed-webhook';
import { TEST_ADMIN_TOKEN } from '../support/test-environment';
import { answer, startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestStack, type TestStack } from '../support/test-stack';
import { arrestReport } from '../support/report-bodies';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The console's incident verification in a real Chromium, over the real API and worker: two partners disagree on
 * the day of Zahra Rahimi's arrest and the admin settles it; a third partner's report matches two incidents and the
 * admin merges it into the one it is. axe in every state of the page, in both languages.
 */
describe('Admin console: conflicts and merges (browser)', () => {
  let stack: TestStack;
  let browser: Browser;
  let partner: TestHttpReceiver;
  let ihr: { id: string; secret: string };
  let second: { id: string; secret: string };
  let third: { id: string; secret: string };
  let seeded: Map<string, string>;

  const url = (path: string) => `${stack.api.baseUrl}${path}`;
  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const report = (source: { id: string; secret: string }, body: Json) => reportIncident(stack.api, source, body);

  async function accessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  async function submit(page: Page, selector: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  async function signIn(page: Page, language: string): Promise<void> {
    await page.goto(url(`/admin?lang=${language}`));
    await page.fill('#token', TEST_ADMIN_TOKEN);
    await submit(page, 'button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/admin');
  }

  beforeAll(async () => {
    [stack, browser, partner] = await Promise.all([startTestStack(), launchBrowser(), startTestHttpReceiver()]);
    partner.fallback = answer(204);
    ({ ihr, second, seeded } = await seedDisputedArrest(stack, `${partner.url}/hook`));
    third = await createSource(stack.api, 'Fictional Third Monitor');
  });
  afterAll(async () => {
    await browser?.close();
    await partner?.close();
    await stack?.close();
  });

  it('shows the disputed arrest in Persian, right to left and accessibly', async () => {
    const { context, page, problems } = await newPage(browser, { locale: 'fa' });
    try {
      await signIn(page, 'fa');
      await page.goto(url('/admin/incidents?lang=fa'));
      await page.selectOption('#f-verification', 'disputed');
      await submit(page, 'form[role=search] button');
      expect(await page.$$('main tbody tr')).toHaveLength(1);
      await accessible(page);
      await Promise.all([page.waitForNavigation(), page.click('main tbody a[href*="/admin/incidents/"]')]);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.textContent('#incident-verification')).toBe('مورد اختلاف: منابع دربارهٔ تاریخ هم‌نظر نیستند');
      expect(await page.textContent('#conflicts')).toBe('اختلاف‌های باز');
      await accessible(page);
      await screenshots(page, 'admin-incident-conflict', 'fa');
      expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("resolves the Rahimi 5/6 September conflict made by two partners' signed reports", async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'en');
      // The list, filtered by the second partner: her arrest, disputed.
      await page.goto(url('/admin/incidents?lang=en'));
      await page.selectOption('#f-source', { label: 'Fictional Second Monitor' });
      await page.selectOption('#f-verification', 'disputed');
      await submit(page, 'form[role=search] button');
      const rows = await page.$$eval('main tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(rows).toEqual([expect.stringContaining('Zahra Rahimi')]);
      expect(rows[0]).toContain('Disputed');
      await Promise.all([page.waitForNavigation(), page.click('main tbody a[href*="/admin/incidents/"]')]);
      expect(new URL(page.url()).pathname).toBe(`/admin/incidents/${arrestId}`);

      // The incident: disputed, both sources with their kind, each date with who gave it, the alerts sent.
      expect(await page.textContent('#incident-verification')).toBe('disputed: sources disagree on the date');
      const sources = await page.$$eval('#sources + div tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(sources).toEqual([
        expect.stringContaining('Iran Human Rights'),
        expect.stringContaining('Fictional Second Monitor'),
      ]);
      expect(sources.every((s) => s.includes('human-rights organisation'))).toBe(true);
      const values = await page.$$eval('#conflicts + p + div tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(values).toEqual([
        expect.stringMatching(/^6 September 2020.*Iran Human Rights$/),
        expect.stringMatching(/^5 September 2020.*Fictional Second Monitor$/),
      ]);
      const alerts = await page.$$eval('#deliveries + div tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(alerts.length).toBeGreaterThan(0);
      expect(alerts.join()).toContain('incident.recorded');
      await accessible(page);
      await screenshots(page, 'admin-incident-conflict', 'en');

      // Her lawyer says the 5th: that date stands.
      await page.check('input[name=choice][value="2020-09-05"]');
      await page.fill('#c-occurredOn-note', 'Her lawyer confirms the 5th.');
      await submit(page, 'form[action*="/resolve"] button[type=submit]');
      expect(await page.textContent('[role=status]')).toContain('The conflict is resolved');
      expect(await page.textContent('#incident-verification')).toBe('corroborated by 2 independent sources');
      expect(await page.$('#conflicts')).toBeNull();
      expect(await page.textContent('main dl')).toContain('5 September 2020');
      await accessible(page);
      expect(await admin(`/v1/admin/incidents/${arrestId}`)).toMatchObject({
        occurredOn: '2020-09-05',
        verification: 'corroborated',
        conflicts: [],
      });
      expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('merges a possible duplicate into the incident it is', async () => {
    // One raid in Karaj, reported by each partner under another name of the raided.
    const arrest = (externalId: string, names: string[]) => ({
      ...arrestReport(externalId, '2024-07-14', names),
      location: 'Karaj',
    });
    const one = await report(ihr, arrest('ihr-raid-one', ['Fictional Raided One']));
    const two = await report(second, arrest('second-raid-two', ['Fictional Raided Two']));
    // A third partner names both: it matches both incidents, so it is recorded apart, with both as possible duplicates.
    const both = await report(third, arrest('third-raid-both', ['Fictional Raided One', 'Fictional Raided Two']));
    await stack.caughtUp();
    expect((await admin(`/v1/admin/incidents/${both}`)).possibleDuplicates).toEqual([one, two].sort());

    const { context, page, problems } = await newPage(browser);
    try {
      await signIn(page, 'en');
      await page.goto(url(`/admin/incidents?lang=en&sourceId=${third.id}`));
      await Promise.all([page.waitForNavigation(), page.click('main tbody a[href*="/admin/incidents/"]')]);
      expect(new URL(page.url()).pathname).toBe(`/admin/incidents/${both}`);
      const duplicates = await page.$$eval('#duplicates + p + div tbody tr a', (links) =>
        links.map((a) => a.getAttribute('href')),
      );
      expect(duplicates.sort()).toEqual([`/admin/incidents/${one}?lang=en`, `/admin/incidents/${two}?lang=en`].sort());
      await accessible(page);
      await screenshots(page, 'admin-incident-duplicates', 'en');

      // They were one raid: it joins the first, whose page then lists all three partners.
      await submit(page, `#duplicates + p + div tr:has(input[value="${one}"]) button`);
      expect(new URL(page.url()).pathname).toBe(`/admin/incidents/${one}`);
      expect(await page.textContent('[role=status]')).toContain('merged into this one');
      const sources = await page.$$eval('#sources + div tbody th', (ths) => ths.map((th) => th.textContent));
      expect(sources).toEqual(['Iran Human Rights', 'Fictional Third Monitor']);
      await accessible(page);

      // The merged-away incident says where it went, and has no merge form any more.
      await page.goto(url(`/admin/incidents/${both}?lang=en`));
      expect(await page.textContent('#merged-into')).toContain('Merged into another incident');
      expect(await page.getAttribute('#merged-into a', 'href')).toBe(`/admin/incidents/${one}?lang=en`);
      expect(await page.$('form[action*="/merge"]')).toBeNull();
      await accessible(page);

      // A merge the API refuses (into itself) comes back on the page, with nothing changed.
      await page.goto(url(`/admin/incidents/${two}?lang=en`));
      await page.fill('#merge-into', two);
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('form[action*="/merge"] button[type=submit] >> nth=-1'),
      ]);
      expect(refused.status()).toBe(400);
      expect(await page.textContent('[role=alert]')).toContain('The admin API refused this');
      await accessible(page);
      expect((await admin(`/v1/admin/incidents/${two}`)).mergedInto).toBeNull();
      expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
