import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { recordReport } from '../support/recorded-report';
import { rebuildProjections } from '../support/rebuild-projections';
import { startTestStack, type TestStack } from '../support/test-stack';
import { walkPages } from '../support/walk-pages';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ZWNJ = '\u200C';
const SHARMIN = 'Sharmin Maymandinejad';
const SOCIETY = 'Imam Ali Popular Student Relief Society';
const SEED_PERSONS = [
  SHARMIN,
  'Katayoun Afrazeh',
  'Morteza Keymanesh',
  'Zahra Rahimi',
  'Hamed Yavari',
  'Hossein Amaninejad',
];

/** Each spelling sources use, the seed's person it may denote, and why (docs/api.md, "Who may be the same"). */
const VARIANTS: [variant: string, of: string, reason: string][] = [
  ['Sharmin Meymandineyad', SHARMIN, 'transliteration'],
  ['Sharmin Meymandinezhad', SHARMIN, 'transliteration'],
  ['شارمین میمندي نجاد', SHARMIN, 'persian_letters'], // Sharmin's Persian alias as an Arabic-language site writes it
  ['Morteza Kaymanesh', 'Morteza Keymanesh', 'transliteration'],
  ['Morteza Ki Manesh', 'Morteza Keymanesh', 'one_letter_apart'],
  ['Katayun Afrazeh', 'Katayoun Afrazeh', 'transliteration'],
];

/**
 * Who may be the same: the pairs the loose keys propose, per subject and on the review list, and their
 * dismissal for good. Nothing here merges anyone.
 */
describe('Similar names and the review list', () => {
  let stack: TestStack;
  const ids = new Map<string, string>();

  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const similar = async (kind: string, name: string) =>
    (await admin(`/v1/admin/${kind}/${ids.get(name)}/similar?limit=500`)).items as Json[];
  const review = async () => (await admin('/v1/admin/review?limit=500')).items as Json[];
  const dismiss = (id: string) => stack.api.request(`/v1/admin/review/${id}/dismiss`, { method: 'POST', admin: true });
  const countEvents = async (type: string) =>
    Number((await stack.db.pool.query(`SELECT count(*) FROM events WHERE type = $1`, [type])).rows[0].count);

  beforeAll(async () => {
    stack = await startTestStack();
    const [first] = seedReports();
    const report = (externalId: string, persons: Json[], organizations: Json[] = []) => ({
      ...first,
      externalId,
      persons,
      organizations,
    });
    const reports = [
      ...seedReports(),
      report('similar-persian-alias', [{ name: SHARMIN, aliases: [`شارمین میمندی${ZWNJ}نژاد`] }]),
      ...VARIANTS.map(([variant], i) => report(`similar-variant-${i}`, [{ name: variant }])),
      report('similar-society', [], [{ name: 'Imam Ali Popular Students Relief Society' }]),
    ];
    for (const body of reports) await recordReport(stack.api, body);
    await stack.caughtUp();
    for (const kind of ['persons', 'organizations']) {
      for (const subject of (await admin(`/v1/admin/${kind}?limit=500`)).items) ids.set(subject.name, subject.id);
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(VARIANTS)('lists %j as similar to %j, by %s, both ways', async (variant, of, reason) => {
    expect((await similar('persons', of)).find((p) => p.name === variant)).toMatchObject({
      id: ids.get(variant),
      reason,
      candidate: expect.any(String),
      since: expect.any(String),
      dismissed: false,
    });
    expect((await similar('persons', variant)).find((p) => p.name === of)).toMatchObject({ id: ids.get(of), reason });
  });

  it('proposes no pair among the seed people (Sharmin is not Zahra Rahimi, Hamed Yavari not Hossein Amaninejad)', async () => {
    for (const name of SEED_PERSONS) {
      const found = (await similar('persons', name)).map((p) => p.name);
      expect([name, found.filter((other) => SEED_PERSONS.includes(other))]).toEqual([name, []]);
    }
  });

  it('lists organisations one letter apart', async () => {
    expect((await similar('organizations', SOCIETY)).map((o) => [o.name, o.reason])).toEqual([
      ['Imam Ali Popular Students Relief Society', 'one_letter_apart'],
    ]);
  });

  it('lists the strongest reasons first and pages them one by one in the same order', async () => {
    const all = await similar('persons', SHARMIN);
    expect(all.map((p) => p.reason)).toEqual(['persian_letters', 'transliteration', 'transliteration']);
    const walked = await walkPages(admin, `/v1/admin/persons/${ids.get(SHARMIN)}/similar?limit=1`);
    expect(walked.map((p) => p.id)).toEqual(all.map((p) => p.id));
  });

  it('answers 404 for no such subject and 400 for a cursor of another list', async () => {
    for (const path of [
      '/v1/admin/persons/00000000-0000-4000-8000-000000000000/similar',
      '/v1/admin/persons/not-a-uuid/similar',
      `/v1/admin/persons/${ids.get(SOCIETY)}/similar`,
      `/v1/admin/organizations/${ids.get(SHARMIN)}/similar`,
    ]) {
      await expectProblem(await stack.api.request(path, { admin: true }), 404);
    }
    const { nextCursor } = await admin('/v1/admin/persons?limit=1');
    const problem = await expectProblem(
      await stack.api.request(`/v1/admin/persons/${ids.get(SHARMIN)}/similar?cursor=${nextCursor}`, { admin: true }),
      400,
    );
    expect(problem.errors.map((e: Json) => e.path)).toEqual(['cursor']);
    expect((await stack.api.request(`/v1/admin/persons/${ids.get(SHARMIN)}/similar`)).status).toBe(401);
  });

  it('lists every open pair on the review list, oldest first, paged one by one in the same order', async () => {
    const items = await review();
    // Every pair of spellings of one person (the variants pair with each other too), and the society's.
    const sameOne = [
      [SHARMIN, 'Sharmin Meymandineyad', 'Sharmin Meymandinezhad', 'شارمین میمندي نجاد'],
      ['Morteza Keymanesh', 'Morteza Kaymanesh', 'Morteza Ki Manesh'],
      ['Katayoun Afrazeh', 'Katayun Afrazeh'],
      [SOCIETY, 'Imam Ali Popular Students Relief Society'],
    ];
    const pairOf = (item: Json) => item.subjects.map((s: Json) => s.name).sort();
    expect(
      items.map((item) => sameOne.some((names) => pairOf(item).every((name: string) => names.includes(name)))),
    ).toEqual(items.map(() => true));
    // Sharmin: three Latin spellings pairwise and her Persian alias with the Persian variant; Keymanesh: three pairwise.
    expect(items).toHaveLength(4 + 3 + 1 + 1);
    for (const [variant, of, reason] of VARIANTS) {
      expect(items.filter((item) => pairOf(item).join() === [variant, of].sort().join())).toEqual([
        expect.objectContaining({ kind: 'similar_names', subject: 'person', reason }),
      ]);
    }
    expect(items[0]).toEqual({
      id: expect.any(String),
      kind: 'similar_names',
      subject: 'person',
      subjects: [
        { id: expect.any(String), name: expect.any(String) },
        { id: expect.any(String), name: expect.any(String) },
      ],
      reason: expect.any(String),
      since: expect.any(String),
      links: {
        dismiss: `/v1/admin/review/${items[0].id}/dismiss`,
        merge: `/v1/admin/persons/${items[0].subjects[0].id}/merge`,
      },
    });
    const since = items.map((item) => Date.parse(item.since));
    expect(since).toEqual([...since].sort((a, b) => a - b));
    const walked = await walkPages(admin, '/v1/admin/review?limit=1');
    expect(walked.map((item) => item.id)).toEqual(items.map((item) => item.id));
  });

  it('dismisses a pair for good, once, by an event; a rebuild of the candidates keeps it dismissed', async () => {
    const [item] = (await review()).filter((i) => i.subjects.some((s: Json) => s.name === 'Katayun Afrazeh'));
    const response = await dismiss(item.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: item.id, dismissed: true });
    await stack.caughtUp();
    expect((await review()).map((i) => i.id)).not.toContain(item.id);
    expect((await similar('persons', 'Katayoun Afrazeh')).find((p) => p.candidate === item.id)).toMatchObject({
      dismissed: true,
    });
    // Again: the same answer, and still one event.
    expect((await dismiss(item.id)).status).toBe(200);
    expect(await countEvents('CandidateDismissed')).toBe(1);

    const before = await review();
    await rebuildProjections(stack, ['similar-names']);
    expect(await review()).toEqual(before);
  });

  it('answers 404 for a review item that does not exist, and writes nothing', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', ids.get(SHARMIN)!]) {
      await expectProblem(await dismiss(id), 404);
    }
    expect(await countEvents('CandidateDismissed')).toBe(1);
  });
});
