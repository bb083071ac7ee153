import type { Browser } from 'playwright-core';
import { startApiOnTestDatabase, type ApiOnTestDatabase } from '../support/test-api-database';
import { launchBrowser, newPage, screenshots, seriousA11yViolations } from '../support/browser';

/** The page foundation in a real Chromium: layout, language and direction, strict CSP, CSRF, accessibility. */
describe('Page foundation (browser)', () => {
  let stack: ApiOnTestDatabase;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startApiOnTestDatabase(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a page in Persian right to left and in English left to right, with a switch, its own stylesheet and no CSP violation', async () => {
    const { context, page, problems } = await newPage(browser, { locale: 'fa-IR' });
    try {
      // No ?lang=: the browser's Accept-Language (fa-IR) chooses Persian.
      await page.goto(`${stack.api.baseUrl}/v1/subscriptions/confirm?token=made-up`);
      expect(await page.getAttribute('html', 'lang')).toBe('fa');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.textContent('h1')).toBe('اشتراک خود را تأیید کنید');
      // The stylesheet applied: the button has Vigil's colour, not the browser's grey.
      expect(await page.evaluate("getComputedStyle(document.querySelector('button')).backgroundColor")).toBe(
        'rgb(11, 79, 168)',
      );
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshots(page, 'confirm', 'fa');

      await page.click('a[hreflang="en"]');
      expect(page.url()).toContain('lang=en');
      expect(page.url()).toContain('token=made-up');
      expect(await page.getAttribute('html', 'dir')).toBe('ltr');
      expect(await page.textContent('h1')).toBe('Confirm your subscription');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshots(page, 'confirm', 'en');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('posts the form with its CSRF token (the made-up link is refused as a page, not a 403), and a stale form is a 403 page', async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${stack.api.baseUrl}/v1/subscriptions/confirm?token=made-up&lang=en`);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('button'),
      ]);
      expect(answer.status()).toBe(400);
      expect(await page.textContent('h1')).toBe('Link not valid');

      // The same form after the browser lost its cookie (closed and reopened): refused, as a page in its language.
      await page.goto(`${stack.api.baseUrl}/v1/subscriptions/confirm?token=made-up&lang=fa`);
      await context.clearCookies();
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('button'),
      ]);
      expect(refused.status()).toBe(403);
      expect(await page.textContent('h1')).toBe('این فرم منقضی شده است');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    } finally {
      await context.close();
    }
  });

  it('sets the CSRF cookie HttpOnly and SameSite=Strict, for the session only', async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${stack.api.baseUrl}/v1/subscriptions/confirm?token=made-up`);
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'vigil_csrf', httpOnly: true, sameSite: 'Strict', expires: -1 });
    } finally {
      await context.close();
    }
  });
});
