import { randomUUID } from 'node:crypto';
import { signInToConsole, type ConsoleSession } from '../support/console-session';
import { postForm } from '../support/page-form';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { createSource, postSigned } from '../support/signed-webhook';
import { startTestStack, type TestStack } from '../support/test-stack';
import { countEvents } from '../support/event-count';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MEY = 'Omid Meymandinejad';
const MAY = 'Omid Maymandinejad';
const KATAYOUN = 'Katayoun Afrazeh';
const KATAYUN = 'Katayun Afrazeh';
const PARISA = 'Parisa Rahmani';
const SOCIETY = 'Imam Ali Popular Student Relief Society';
const SOCIETY_TYPO = 'Imam Ali Popular Students Relief Society';

/**
 * The console's identity screens over HTTP, as a browser without scripts uses them, through the real API: similar
 * names and the review list, another name, merge and unmerge, dismissal; the session's CSRF token on every form,
 * wrong ids and refused merges answered as pages with the API's status, never a 500, and nothing written.
 */
describe('Console: names, merges and review (pages)', () => {
  let stack: TestStack;
  let session: ConsoleSession;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    stack = await startTestStack();
    const [template] = seedReports();
    let n = 0;
    const report = (persons: string[], organizations: string[] = []) => ({
      ...template,
      externalId: `console-identity-${++n}`,
      // A year apart each: reports days apart naming one person would be one incident.
      occurredOn: `${1990 + n}-03-01`,
      persons: persons.map((name) => ({ name })),
      organizations: organizations.map((name) => ({ name })),
    });
    // Two partners write one man's name two ways: two persons, a pair proposed for review.
    const first = await createSource(stack.api, 'First Partner');
    const second = await createSource(stack.api, 'Second Partner');
    expect((await postSigned(stack.api, first, report([MEY]))).status).toBe(201);
    expect((await postSigned(stack.api, second, report([MAY]))).status).toBe(201);
    for (const body of [
      report([KATAYOUN]),
      report([KATAYUN]),
      report([PARISA], [SOCIETY]),
      report([], [SOCIETY_TYPO]),
    ]) {
      const response = await stack.api.request('/v1/admin/incidents', { method: 'POST', admin: true, json: body });
      expect(response.status).toBe(201);
    }
    await stack.caughtUp();
    for (const kind of ['persons', 'organizations']) {
      const { items } = await readJson(await stack.api.request(`/v1/admin/${kind}?limit=500`, { admin: true }));
      for (const subject of items) ids.set(subject.name, subject.id);
    }
    session = await signInToConsole(stack.api.baseUrl);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const id = (name: string) => ids.get(name)!;

  /** A console page as the signed-in browser gets it. */
  async function page(
    path: string,
    cookie = session.cookie,
  ): Promise<{ status: number; html: string; response: Response }> {
    const response = await fetch(`${stack.api.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { status: response.status, html: await response.clone().text(), response };
  }

  /** A console form posted with the session's token (unless `csrf` says otherwise). */
  const submit = (path: string, fields: Record<string, string>, csrf: string | null = session.csrf) =>
    postForm(stack.api.baseUrl, path, csrf === null ? fields : { _csrf: csrf, ...fields }, session.cookie);

  const apiRead = async (path: string): Promise<Json> => readJson(await stack.api.request(path, { admin: true }));

  /** An answer that is a console page (not problem+json, never a 500) with this status. */
  async function expectPage(response: Response, status: number): Promise<string> {
    const html = await response.text();
    expect([response.status, html.slice(0, 200)]).toEqual([status, expect.any(String)]);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    return html;
  }

  it('shows a person’s similar names with the reason in words, and the pair in review and on the dashboard', async () => {
    const mey = await page(`/admin/persons/${id(MEY)}?lang=en`);
    expect(mey.status).toBe(200);
    expect(mey.html).toContain(MAY);
    expect(mey.html).toContain('the same transliteration in Latin letters');
    expect(mey.html).toContain(`/admin/persons/${id(MEY)}/merge?into=${id(MAY)}`);

    const society = await page(`/admin/organizations/${id(SOCIETY)}?lang=fa`);
    expect(society.status).toBe(200);
    expect(society.html).toContain(SOCIETY_TYPO);
    expect(society.html).toContain('یک حرف تفاوت در واژه‌ای بلند');

    const review = await page('/admin/review?lang=en');
    expect(review.status).toBe(200);
    for (const name of [MEY, MAY, KATAYOUN, KATAYUN, SOCIETY, SOCIETY_TYPO]) expect(review.html).toContain(name);
    expect(review.html).toContain(`href="/admin/organizations/${id(SOCIETY_TYPO)}?lang=en"`);

    const dashboard = await page('/admin?lang=en');
    expect(dashboard.html).toMatch(/<a href="\/admin\/review\?lang=en" id="review-count">3 waiting<\/a>/);
    expect(dashboard.html).toContain(MEY);
  });

  it('lists review items oldest first, a page at a time, following the cursor', async () => {
    const walked: string[] = [];
    let path: string | undefined = '/admin/review?lang=en&limit=1';
    while (path) {
      const { status, html } = await page(path);
      expect(status).toBe(200);
      walked.push(...[...html.matchAll(/<tr data-id="([^"]+)" data-kind="similar_names">/g)].map((m) => m[1]));
      path = /<a href="([^"]+)" rel="next">/.exec(html)?.[1].replace(/&amp;/g, '&');
    }
    const { items } = await apiRead('/v1/admin/review?limit=500');
    expect(walked).toEqual(items.map((item: Json) => item.id));
    // Oldest first: the pair the partners made, then Katayoun's, then the society's.
    expect(items.map((item: Json) => item.subjects.map((s: Json) => s.name).sort())).toEqual([
      [MAY, MEY],
      [KATAYOUN, KATAYUN],
      [SOCIETY, SOCIETY_TYPO],
    ]);
  });

  it('refuses every identity form without the session’s CSRF token with 403, and writes nothing', async () => {
    const before = await countEvents(stack.db.pool);
    const [candidate] = (await apiRead('/v1/admin/review')).items;
    const forms: [string, Record<string, string>][] = [
      [`/admin/persons/${id(MEY)}/aliases`, { name: 'Omid M.' }],
      [`/admin/persons/${id(MEY)}/merge`, { into: id(MAY), reason: 'the same man' }],
      [`/admin/persons/${id(MEY)}/unmerge`, {}],
      [`/admin/review/${candidate.id}/dismiss`, {}],
    ];
    const other = await signInToConsole(stack.api.baseUrl);
    for (const [path, fields] of forms) {
      expect([path, (await submit(path, fields, null)).status]).toEqual([path, 403]);
      expect([path, (await submit(path, fields, 'A'.repeat(43))).status]).toEqual([path, 403]);
      // Another session's token is no token of this one.
      expect([path, (await submit(path, fields, other.csrf)).status]).toEqual([path, 403]);
      // Without a session at all: to the sign-in form.
      const anonymous = await postForm(stack.api.baseUrl, path, { _csrf: session.csrf, ...fields });
      expect([path, anonymous.status, anonymous.headers.get('location')]).toEqual([
        path,
        303,
        '/admin/sign-in?lang=en',
      ]);
    }
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('answers wrong ids and refused input as pages with the API’s status, never a 500, writing nothing', async () => {
    const before = await countEvents(stack.db.pool);
    const nobody = randomUUID();
    for (const path of [
      '/admin/persons/not-a-uuid',
      `/admin/persons/${nobody}`,
      `/admin/persons/${nobody}/merge`,
      `/admin/organizations/${id(MEY)}`,
      `/admin/persons/${id(SOCIETY)}/merge`,
    ]) {
      const { response } = await page(`${path}?lang=en`);
      await expectPage(response, 404);
    }
    await expectPage((await page('/admin/review?cursor=not-a-cursor')).response, 400);
    await expectPage((await page('/admin/review?limit=0')).response, 400);
    await expectPage((await page(`/admin/persons/${id(MEY)}/merge?q=${encodeURIComponent('  ')}`)).response, 200);
    // A search with no letter is the API's 400, shown on the merge form itself.
    const noLetters = await expectPage((await page(`/admin/persons/${id(MEY)}/merge?q=---`)).response, 400);
    expect(noLetters).toContain('id="merge-reason"');

    const merge = (fields: Record<string, string>, who = MEY) =>
      submit(`/admin/persons/${id(who)}/merge?lang=en`, fields);
    // Each refusal shows the merge form again, with the problem above it and what was typed kept.
    const refused: [Record<string, string>, number, string][] = [
      [{ intoId: nobody, reason: 'typed id' }, 404, 'does not exist'],
      [{ intoId: 'not-an-id', reason: 'typed id' }, 400, '<bdi>into</bdi>'],
      [{ into: id(MAY), reason: '   ' }, 400, '<bdi>reason</bdi>'],
      [{ into: id(MEY), reason: 'itself' }, 400, 'itself'],
      [{ intoId: id(SOCIETY), reason: 'an organisation' }, 404, 'does not exist'],
    ];
    for (const [fields, status, words] of refused) {
      const html = await expectPage(await merge(fields), status);
      expect([fields, html]).toEqual([fields, expect.stringContaining(`id="refusal" data-status="${status}"`)]);
      expect([fields, html]).toEqual([fields, expect.stringContaining(words)]);
      expect(html).toContain('id="merge-reason"');
    }
    await expectPage(await submit(`/admin/persons/${nobody}/merge`, { into: id(MAY), reason: 'x' }), 404);
    await expectPage(await submit(`/admin/persons/not-a-uuid/merge`, { into: id(MAY), reason: 'x' }), 404);

    // Unmerging one never merged, an alias without letters, dismissing what is no review item.
    await expectPage(await submit(`/admin/persons/${id(MEY)}/unmerge`, {}), 409);
    await expectPage(await submit(`/admin/persons/${nobody}/unmerge`, {}), 404);
    const blank = await expectPage(await submit(`/admin/persons/${id(MEY)}/aliases?lang=en`, { name: ' - ' }), 400);
    expect(blank).toContain('id="refusal" data-status="400"');
    expect(blank).toContain('id="alias-name"');
    await expectPage(await submit(`/admin/persons/${nobody}/aliases`, { name: 'Someone' }), 404);
    await expectPage(await submit(`/admin/review/${nobody}/dismiss`, {}), 404);
    await expectPage(await submit('/admin/review/not-a-uuid/dismiss', {}), 404);
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('adds another name; a name that is another person’s is refused on the page, naming the way out', async () => {
    const persian = 'امید میمندی‌نژاد';
    const added = await submit(`/admin/persons/${id(MEY)}/aliases?lang=en`, { name: persian });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`/admin/persons/${id(MEY)}?lang=en&done=aliasAdded`);
    const shown = await page(added.headers.get('location')!);
    expect(shown.html).toMatch(new RegExp(`<dd id="subject-aliases">[^<]*${persian}`));
    expect(shown.html).toContain('The name is added');

    const again = await submit(`/admin/persons/${id(MEY)}/aliases?lang=en`, { name: persian });
    expect(again.headers.get('location')).toBe(`/admin/persons/${id(MEY)}?lang=en&done=aliasKnown`);

    const before = await countEvents(stack.db.pool);
    const taken = await expectPage(await submit(`/admin/persons/${id(MEY)}/aliases?lang=en`, { name: MAY }), 409);
    expect(taken).toContain('This name already belongs to another record: merge the two instead.');
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('merges one spelling into the other: one person with both names, the merged id shows the survivor, a second merge is refused, and unmerges', async () => {
    // The form offers the similar one, chosen when the link from the similar list asked for it.
    const form = await page(`/admin/persons/${id(MEY)}/merge?into=${id(MAY)}&lang=en`);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(new RegExp(`<input type="radio" id="into-0" name="into" value="${id(MAY)}" checked>`));
    // A search by name offers others too: not itself, and each one once.
    const searched = await page(`/admin/persons/${id(MEY)}/merge?q=Parisa&lang=en`);
    expect(searched.html).toContain(`value="${id(PARISA)}"`);
    const omid = await page(`/admin/persons/${id(MEY)}/merge?q=Omid&lang=en`);
    expect(omid.html).not.toContain(`value="${id(MEY)}"`);
    expect(omid.html.split(`value="${id(MAY)}"`).length).toBe(2);

    const merged = await submit(`/admin/persons/${id(MEY)}/merge?lang=en`, {
      into: id(MAY),
      reason: 'Two partners spell one man’s name two ways.',
    });
    expect(merged.status).toBe(303);
    expect(merged.headers.get('location')).toBe(`/admin/persons/${id(MAY)}?lang=en&done=merged`);

    const survivor = await page(merged.headers.get('location')!);
    expect(survivor.html).toMatch(new RegExp(`<dd id="subject-aliases">[^<]*${MEY}`));
    expect(survivor.html).toContain('<div id="merged-from">');
    expect(survivor.html).toContain(`/admin/persons/${id(MEY)}/unmerge`);
    // Both reports are the survivor's.
    expect(survivor.html.match(/\/admin\/incidents\/[0-9a-f-]{36}\?lang=en">Harassment/g)?.length).toBe(2);

    const opened = await page(`/admin/persons/${id(MEY)}?lang=en`);
    expect(opened.html).toContain(`<h1>${MAY}</h1>`);
    expect(opened.html).toContain('id="opened-merged"');

    // Merging into, or merging again, one already merged: the API's 409 on the form, nothing written.
    const before = await countEvents(stack.db.pool);
    const twice = await expectPage(
      await submit(`/admin/persons/${id(PARISA)}/merge?lang=en`, { intoId: id(MEY), reason: 'typed an old id' }),
      409,
    );
    expect(twice).toContain('id="refusal" data-status="409"');
    expect(twice).toContain('unmerge it first');
    expect(twice).toContain('typed an old id');
    await expectPage(
      await submit(`/admin/persons/${id(MEY)}/merge?lang=en`, { into: id(PARISA), reason: 'again' }),
      409,
    );
    expect(await countEvents(stack.db.pool)).toBe(before);

    const unmerged = await submit(`/admin/persons/${id(MEY)}/unmerge?lang=en`, { reason: 'Two men after all.' });
    expect(unmerged.status).toBe(303);
    expect(unmerged.headers.get('location')).toBe(`/admin/persons/${id(MEY)}?lang=en&done=unmerged`);
    const alone = await page(unmerged.headers.get('location')!);
    expect(alone.html).toContain(`<h1>${MEY}</h1>`);
    expect(alone.html).not.toContain('id="opened-merged"');
    const other = await page(`/admin/persons/${id(MAY)}?lang=en`);
    expect(other.html).not.toContain('<div id="merged-from">');
    expect(other.html).not.toMatch(new RegExp(`<dd id="subject-aliases">[^<]*${MEY}`));
    expect((await apiRead(`/v1/admin/persons/${id(MAY)}`)).mergedFrom).toEqual([]);
  });

  it('merges and unmerges organisations the same way', async () => {
    const merged = await submit(`/admin/organizations/${id(SOCIETY_TYPO)}/merge?lang=fa`, {
      into: id(SOCIETY),
      reason: 'A typo of the society’s name.',
    });
    expect(merged.headers.get('location')).toBe(`/admin/organizations/${id(SOCIETY)}?lang=fa&done=merged`);
    const survivor = await page(merged.headers.get('location')!);
    expect(survivor.html).toMatch(new RegExp(`<dd id="subject-aliases">[^<]*${SOCIETY_TYPO}`));
    expect(survivor.html).toContain(`/admin/organizations/${id(SOCIETY_TYPO)}/unmerge`);
    const unmerged = await submit(`/admin/organizations/${id(SOCIETY_TYPO)}/unmerge?lang=fa`, {});
    expect(unmerged.headers.get('location')).toBe(`/admin/organizations/${id(SOCIETY_TYPO)}?lang=fa&done=unmerged`);
    expect((await page(unmerged.headers.get('location')!)).html).toContain(`<h1>${SOCIETY_TYPO}</h1>`);
  });

  it('dismisses a pair for good: from the review list, or from a person’s page and back to it (never elsewhere)', async () => {
    const [omid, katayoun, society] = (await apiRead('/v1/admin/review')).items;

    const fromReview = await submit(`/admin/review/${society.id}/dismiss?lang=fa`, {});
    expect(fromReview.headers.get('location')).toBe('/admin/review?lang=fa&done=dismissed');
    const review = await page(fromReview.headers.get('location')!);
    expect(review.html).toContain('کنار گذاشته شد');
    expect(review.html).not.toContain(`data-id="${society.id}"`);

    const fromPage = await submit(`/admin/review/${omid.id}/dismiss?lang=en`, {
      back: `/admin/persons/${id(MEY)}`,
    });
    expect(fromPage.headers.get('location')).toBe(`/admin/persons/${id(MEY)}?lang=en&done=dismissed`);
    const mey = await page(fromPage.headers.get('location')!);
    expect(mey.html).toContain('not the same (dismissed)');

    // A `back` that leads anywhere but a person's or organisation's page leads to the review list.
    for (const back of ['https://evil.example/', '//evil.example/admin/persons/x', `/admin/persons/${id(MEY)}/../x`]) {
      const answer = await submit(`/admin/review/${katayoun.id}/dismiss?lang=en`, { back });
      expect([back, answer.headers.get('location')]).toEqual([back, '/admin/review?lang=en&done=dismissed']);
    }
    expect((await apiRead('/v1/admin/review')).items).toEqual([]);
    expect((await page('/admin?lang=en')).html).toMatch(/id="review-count">Nothing<\/a>/);
  });
});
