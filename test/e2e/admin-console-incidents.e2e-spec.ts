import { signInToConsole } from '../support/console-session';
import { seedDisputedArrest } from '../support/disputed-arrest';
import { postForm, readPageForm } from '../support/page-form';
import { readJson } from '../support/read-json';
import { createSource, reportIncident } from '../support/signed-webhook';
import { answer, startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestStack, type TestStack } from '../support/test-stack';
import { countEvents } from '../support/event-count';
import { arrestReport } from '../support/report-bodies';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The console's incident screens over HTTP, as a browser sends their forms (docs/console.md): the filters of the
 * list, an incident's verification, conflicts, duplicates and alerts, and the resolve and merge forms, each through
 * its admin API route. Every report comes through the signed webhook of one of two partners.
 */
describe('Admin console: incident verification, conflicts and merges (pages)', () => {
  let stack: TestStack;
  let partner: TestHttpReceiver;
  let ihr: { id: string; secret: string };
  let second: { id: string; secret: string };
  let session: string;
  let csrf: string;
  let seeded: Map<string, string>;

  const url = (path: string) => `${stack.api.baseUrl}${path}`;
  const page = (path: string) => fetch(url(path), { headers: { cookie: session }, redirect: 'manual' });
  const pageText = async (path: string) => {
    const response = await page(path);
    expect([path, response.status]).toEqual([path, 200]);
    return response.text();
  };
  const post = (path: string, fields: Record<string, string>) => postForm(stack.api.baseUrl, path, fields, session);
  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const report = (source: { id: string; secret: string }, body: Json) => reportIncident(stack.api, source, body);
  /** The rows of the page's table with this caption (or named by the heading of this id), as text. */
  const rowsOf = (html: string, caption: string): string[] => {
    const captioned = html.indexOf(`<caption>${caption}</caption>`);
    const at = captioned >= 0 ? captioned : html.indexOf(`<table aria-labelledby="${caption}">`);
    if (at < 0) return [];
    const body = html.slice(html.indexOf('<tbody>', at), html.indexOf('</table>', at));
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
  };

  beforeAll(async () => {
    [stack, partner] = await Promise.all([startTestStack(), startTestHttpReceiver()]);
    partner.fallback = answer(204);
    ({ ihr, second, seeded } = await seedDisputedArrest(stack, `${partner.url}/hook`));
    ({ cookie: session, csrf } = await signInToConsole(stack.api.baseUrl));
  });
  afterAll(async () => {
    await partner?.close();
    await stack?.close();
  });

  it('lists incidents by verification and by source, besides type and dates', async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const disputed = await pageText('/admin/incidents?lang=en&verification=disputed');
    expect(rowsOf(disputed, 'Incidents')).toHaveLength(1);
    expect(disputed).toContain(`href="/admin/incidents/${arrestId}?lang=en"`);
    expect(disputed).toMatch(/<option value="disputed" selected>Disputed<\/option>/);

    const bySecond = await pageText(`/admin/incidents?lang=en&sourceId=${second.id}`);
    expect(rowsOf(bySecond, 'Incidents')).toEqual([expect.stringContaining('Zahra Rahimi')]);
    // The source filter offers the registered sources by name.
    expect(bySecond).toContain(`<option value="${second.id}" selected>Fictional Second Monitor</option>`);
    const byIhr = await pageText(`/admin/incidents?lang=en&sourceId=${ihr.id}&type=arrest`);
    expect(rowsOf(byIhr, 'Incidents')).toHaveLength(2);

    // In Persian, the verification column speaks Persian.
    expect(await pageText('/admin/incidents?lang=fa&verification=disputed')).toContain('مورد اختلاف');
    // A value the API refuses is its 400, as a page.
    const refused = await page('/admin/incidents?lang=en&verification=sure');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('text/html');
  });

  it('pages the filtered list by cursor, the filters kept in the next page’s link', async () => {
    const bulk = await createSource(stack.api, 'Fictional Bulk Monitor');
    const ids = new Set<string>();
    for (let i = 0; i < 51; i++) {
      // Each a person of their own: no report matches another, so each is an incident, reported by one source.
      ids.add(
        await report(bulk, {
          ...arrestReport(`bulk-${i}`, `2019-03-${String((i % 28) + 1).padStart(2, '0')}`, [`Fictional Bulk ${i}`]),
          type: 'release',
        }),
      );
    }
    await stack.caughtUp();
    const first = await pageText(`/admin/incidents?lang=en&sourceId=${bulk.id}&verification=reported`);
    const next = /<a href="([^"]+)" rel="next">/.exec(first)![1].replace(/&amp;/g, '&');
    const nextUrl = new URL(next, 'http://vigil.invalid');
    expect(Object.fromEntries(nextUrl.searchParams)).toMatchObject({
      lang: 'en',
      sourceId: bulk.id,
      verification: 'reported',
      cursor: expect.any(String),
    });
    const second = await pageText(next);
    /** The incidents a list page links, in its order. */
    const linked = (html: string) =>
      [...html.matchAll(/<td><a href="\/admin\/incidents\/([0-9a-f-]{36})\?lang=en">/g)].map((m) => m[1]);
    const seen = [...linked(first), ...linked(second)];
    expect(seen).toHaveLength(51);
    expect(new Set(seen)).toEqual(ids);
    expect(second).not.toContain('rel="next"');
  });

  it("shows an incident's verification in words, its sources, the open conflict and the alerts about it", async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const en = await pageText(`/admin/incidents/${arrestId}?lang=en`);
    expect(en).toMatch(/data-verification="disputed">disputed: sources disagree on the date</);
    // Each source with its kind, what it cited and when its report came.
    expect(rowsOf(en, 'sources')).toEqual([
      expect.stringMatching(/^ Iran Human Rights human-rights organisation https:\/\/\S+ .*UTC $/),
      expect.stringMatching(/^ Fictional Second Monitor human-rights organisation https:\/\/\S+ .*UTC $/),
    ]);
    // The conflict: each date with who gave it, and the resolve form with a choice per value and "separate".
    const conflict = rowsOf(en, 'conflicts');
    expect(conflict).toEqual([
      expect.stringMatching(/6 September 2020.* Iran Human Rights $/),
      expect.stringMatching(/5 September 2020.* Fictional Second Monitor $/),
    ]);
    expect(en).toContain(`action="/admin/incidents/${arrestId}/resolve?lang=en"`);
    expect(en).toMatch(/name="choice" value="2020-09-05"/);
    expect(en).toMatch(/name="choice" value="separate"/);
    // The alerts the watching partner received about it, from GET /v1/admin/deliveries?incidentId=.
    const alerts = rowsOf(en, 'deliveries');
    const deliveries = (await admin(`/v1/admin/deliveries?incidentId=${arrestId}`)).items;
    expect(deliveries.length).toBeGreaterThan(0);
    expect(alerts).toHaveLength(deliveries.length);
    expect(alerts.join()).toContain('incident.recorded');
    expect(alerts.every((row) => row.includes('webhook') && row.includes('delivered'))).toBe(true);

    const fa = await pageText(`/admin/incidents/${arrestId}?lang=fa`);
    expect(fa).toContain('dir="rtl"');
    expect(fa).toContain('مورد اختلاف: منابع دربارهٔ تاریخ هم‌نظر نیستند');
    expect(fa).toContain('سازمان حقوق بشری');
    expect(fa).toContain('اختلاف‌های باز');
  });

  it('refuses a resolve or a merge without the CSRF token of the session with 403 (without a session: to sign in), writing nothing', async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const before = await countEvents(stack.db.pool);
    const other = (await readPageForm(await fetch(url('/admin/sign-in')))).csrf;
    for (const fields of [{}, { _csrf: other }, { _csrf: `${csrf}x` }] as Record<string, string>[]) {
      const resolve = await post(`/admin/incidents/${arrestId}/resolve`, {
        ...fields,
        field: 'occurredOn',
        choice: '2020-09-05',
      });
      expect(resolve.status).toBe(403);
      const merge = await post(`/admin/incidents/${arrestId}/merge`, {
        ...fields,
        into: seeded.get('ihr-2020-09-07-rahimi-release')!,
      });
      expect(merge.status).toBe(403);
    }
    // Without a session, the page and its forms lead to the sign-in form.
    for (const response of [
      await fetch(url(`/admin/incidents/${arrestId}?lang=fa`), { redirect: 'manual' }),
      await postForm(stack.api.baseUrl, `/admin/incidents/${arrestId}/resolve?lang=fa`, {
        _csrf: csrf,
        field: 'occurredOn',
        choice: '2020-09-05',
      }),
      await postForm(stack.api.baseUrl, `/admin/incidents/${arrestId}/merge?lang=fa`, { _csrf: csrf, into: arrestId }),
    ]) {
      expect([response.status, response.headers.get('location')]).toEqual([303, '/admin/sign-in?lang=fa']);
    }
    expect(await countEvents(stack.db.pool)).toBe(before);
    expect((await admin(`/v1/admin/incidents/${arrestId}`)).verification).toBe('disputed');
  });

  it("shows what the API refused on the incident's page, with the API's status, and writes nothing", async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const hamedan = seeded.get('ihr-2021-06-11-hamedan-executions')!;
    const before = await countEvents(stack.db.pool);

    // Neither a value nor "separate": the API's 400, and the form again.
    const noChoice = await post(`/admin/incidents/${arrestId}/resolve?lang=en`, { _csrf: csrf, field: 'occurredOn' });
    expect(noChoice.status).toBe(400);
    const noChoiceText = await noChoice.text();
    expect(noChoiceText).toContain('role="alert"');
    expect(noChoiceText).toContain('value: give either value or separate: true');
    expect(noChoiceText).toContain(`action="/admin/incidents/${arrestId}/resolve?lang=en"`);

    // A date the conflict does not hold is refused by the API (409), in Persian too.
    const notAValue = await post(`/admin/incidents/${hamedan}/resolve?lang=fa`, {
      _csrf: csrf,
      field: 'occurredOn',
      choice: '2021-06-12',
    });
    expect(notAValue.status).toBe(409);
    const notAValueText = await notAValue.text();
    expect(notAValueText).toContain('رابط مدیریت این را نپذیرفت');
    expect(notAValueText).toContain('lang="fa"');

    // Merging into an id that is none, into itself, into an incident of another type.
    for (const [into, status] of [
      ['not-an-id', 400],
      ['00000000-0000-4000-8000-000000000000', 400],
      [arrestId, 400],
      [hamedan, 409],
    ] as const) {
      const merge = await post(`/admin/incidents/${arrestId}/merge?lang=en`, { _csrf: csrf, into });
      expect([into, merge.status]).toEqual([into, status]);
      expect(await merge.text()).toContain('The admin API refused this, and nothing was changed');
    }
    expect(await countEvents(stack.db.pool)).toBe(before);
    expect((await admin(`/v1/admin/incidents/${arrestId}`)).verification).toBe('disputed');
  });

  it('shows a report the API refuses on the record form again, with each wrong field and what was typed', async () => {
    const before = await countEvents(stack.db.pool);
    const refused = await post('/admin/incidents?lang=en', {
      _csrf: csrf,
      type: 'arrest',
      occurredOn: 'not-a-date',
      persons: 'Fictional Refusedrecord',
      sourceName: 'Fictional Record Monitor',
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('text/html');
    const text = await refused.text();
    expect(text).toContain('role="alert"');
    expect(text).toMatch(/<li>occurredOn: [^<]+<\/li>/);
    expect(text).toContain('value="not-a-date"');
    expect(text).toContain('action="/admin/incidents?lang=en"');
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('answers a wrong incident id with the API’s 404, as a page, for the page and each form', async () => {
    const before = await countEvents(stack.db.pool);
    for (const id of ['not-an-id', '00000000-0000-4000-8000-000000000000']) {
      const shown = await page(`/admin/incidents/${id}?lang=en`);
      expect([id, shown.status]).toEqual([id, 404]);
      expect(shown.headers.get('content-type')).toContain('text/html');
      const resolve = await post(`/admin/incidents/${id}/resolve?lang=en`, {
        _csrf: csrf,
        field: 'occurredOn',
        choice: '2020-09-05',
      });
      expect([id, resolve.status]).toEqual([id, 404]);
      const merge = await post(`/admin/incidents/${id}/merge?lang=en`, {
        _csrf: csrf,
        into: seeded.get('ihr-2020-09-06-rahimi-arrest')!,
      });
      expect([id, merge.status]).toEqual([id, 404]);
      expect(merge.headers.get('content-type')).toContain('text/html');
    }
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('resolves the conflict to one date through the form: the incident is corroborated on that date', async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const resolved = await post(`/admin/incidents/${arrestId}/resolve?lang=en`, {
      _csrf: csrf,
      field: 'occurredOn',
      choice: '2020-09-05',
      note: 'Her lawyer confirms the 5th.',
    });
    expect(resolved.status).toBe(303);
    expect(resolved.headers.get('location')).toBe(`/admin/incidents/${arrestId}?lang=en&done=resolved`);
    // Read your writes: the page the redirect leads to shows it resolved.
    const shown = await pageText(resolved.headers.get('location')!);
    expect(shown).toContain('The conflict is resolved');
    expect(shown).toMatch(/data-verification="corroborated">corroborated by 2 independent sources</);
    expect(shown).not.toContain('Open conflicts');
    expect(await admin(`/v1/admin/incidents/${arrestId}`)).toMatchObject({
      occurredOn: '2020-09-05',
      verification: 'corroborated',
      conflicts: [],
    });
    const { rows } = await stack.db.pool.query(
      `SELECT data FROM events WHERE type = 'ConflictResolved' AND data->>'incidentId' = $1`,
      [arrestId],
    );
    expect(rows.map((r) => r.data.note)).toEqual(['Her lawyer confirms the 5th.']);
  });

  it('separates two arrests taken for one: the page links the incident the other report became', async () => {
    const first = await report(ihr, arrestReport('ihr-separate', '2024-05-10', ['Fictional Separated']));
    expect(await report(second, arrestReport('second-separate', '2024-05-12', ['Fictional Separated']))).toBe(first);
    await stack.caughtUp();
    const separated = await post(`/admin/incidents/${first}/resolve?lang=en`, {
      _csrf: csrf,
      field: 'occurredOn',
      choice: 'separate',
    });
    expect(separated.status).toBe(303);
    const location = new URL(separated.headers.get('location')!, 'http://vigil.invalid');
    expect(location.searchParams.get('done')).toBe('separated');
    const separatedAs = location.searchParams.get('separatedAs')!;
    const shown = await pageText(`${location.pathname}${location.search}`);
    expect(shown).toContain(`id="separated-as" href="/admin/incidents/${separatedAs}?lang=en"`);
    expect(await admin(`/v1/admin/incidents/${separatedAs}`)).toMatchObject({
      occurredOn: '2024-05-12',
      externalId: 'second-separate',
    });
  });

  it('merges a possible duplicate into the incident it is, with its button', async () => {
    const a = await report(ihr, arrestReport('ihr-merge-a', '2024-07-14', ['Fictional Merged One']));
    const b = await report(second, arrestReport('second-merge-b', '2024-07-14', ['Fictional Merged Two']));
    const third = await createSource(stack.api, 'Fictional Third Monitor');
    const c = await report(
      third,
      arrestReport('third-merge-c', '2024-07-14', ['Fictional Merged One', 'Fictional Merged Two']),
    );
    await stack.caughtUp();
    const before = await pageText(`/admin/incidents/${c}?lang=en`);
    const duplicates = rowsOf(before, 'duplicates');
    expect(duplicates).toHaveLength(2);
    for (const id of [a, b]) expect(before).toContain(`<input type="hidden" name="into" value="${id}">`);

    const merged = await post(`/admin/incidents/${c}/merge?lang=en`, { _csrf: csrf, into: a, note: 'One raid.' });
    expect(merged.status).toBe(303);
    expect(merged.headers.get('location')).toBe(`/admin/incidents/${a}?lang=en&done=incidentMerged`);
    const survivor = await pageText(merged.headers.get('location')!);
    expect(survivor).toContain('The incident is merged into this one.');
    expect(rowsOf(survivor, 'sources').join()).toContain('Fictional Third Monitor');
    // The merged-away incident says where it went, and offers no merge of its own.
    const gone = await pageText(`/admin/incidents/${c}?lang=en`);
    expect(gone).toContain(`<a href="/admin/incidents/${a}?lang=en">Open the incident it was merged into</a>`);
    expect(gone).not.toContain(`/admin/incidents/${c}/merge`);
    expect((await admin(`/v1/admin/incidents/${c}`)).mergedInto).toBe(a);
  });
});
