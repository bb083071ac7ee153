import { SUBJECT_STATEMENTS } from '../../apps/api/src/read-models/subject-read-model';
import {
  indexConditionsByGenericPlan,
  readWholeByGenericPlan,
  unboundedSortsByGenericPlan,
} from '../support/generic-plan';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { recordReport } from '../support/recorded-report';
import { rebuildProjections } from '../support/rebuild-projections';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { walkPages } from '../support/walk-pages';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SHARMIN = 'Sharmin Maymandinejad';
const SOCIETY = 'Imam Ali Popular Student Relief Society';

/**
 * Search by the beginning of any word of any name or alias, in Latin or Persian script, ranked name,
 * alias, word (docs/api.md, "Persons and organisations").
 */
describe('Search of persons and organisations by any word', () => {
  let stack: TestStack;

  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const search = async (list: string, q: string, limit = 500) =>
    (await admin(`/v1/admin/${list}?q=${encodeURIComponent(q)}&limit=${limit}`)).items as Json[];
  const words = async () =>
    (
      await stack.db.pool.query(
        `SELECT subject, key, subject_id::text, from_alias, whole, word FROM read_name_words
          ORDER BY subject, key, subject_id, from_alias, whole`,
      )
    ).rows;

  beforeAll(async () => {
    stack = await startTestStack();
    const [first] = seedReports();
    const reports = [
      ...seedReports(),
      // Sharmin's name in Persian, as a Persian-language source writes it (a ZWNJ inside the surname).
      {
        ...first,
        externalId: 'search-persian-alias',
        persons: [{ name: SHARMIN, aliases: ['شارمین میمندی\u200Cنژاد'] }],
        organizations: [],
      },
      // Two persons whose names share the word "Rahimi", one of them as the first word of an alias.
      { ...first, externalId: 'search-rahimi', persons: [{ name: 'Rahimi Karimi' }], organizations: [] },
      {
        ...first,
        externalId: 'search-rahimi-alias',
        persons: [{ name: 'Karim Moradi', aliases: ['Rahimi Moradi'] }],
        organizations: [],
      },
      // Known by one Latin spelling; searched by another.
      { ...first, externalId: 'search-similar', persons: [{ name: 'Omid Meymandinezhad' }], organizations: [] },
      {
        ...first,
        externalId: 'search-similar-prefix',
        persons: [{ name: 'Omid Meymandinejad Rad' }],
        organizations: [],
      },
      // One whose alias and several words of both name and alias begin with "rahim".
      {
        ...first,
        externalId: 'search-rahim-many',
        persons: [{ name: 'Maryam Rahim Rahimpour', aliases: ['Rahim Rahimpour'] }],
        organizations: [],
      },
    ];
    for (const report of reports) await recordReport(stack.api, report);
    await stack.caughtUp();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['maymand', 'word'],
    ['MAYMANDINEJAD', 'word'],
    ['sharmin m', 'name'],
    ['Sharmin Meymandi', 'alias'],
    ['میمندی', 'word'],
    ['نژاد', 'word'],
    ['شارمين ميمندي', 'alias'], // Arabic yeh, a space for the ZWNJ
  ])('finds Sharmin by %s, matched by %s', async (q, match) => {
    const items = await search('persons', q);
    expect(items.map((p) => [p.name, p.match])).toEqual([[SHARMIN, match]]);
  });

  it.each([
    ['iapsrs', 'alias'],
    ['relief', 'word'],
    ['Relief Society', 'word'],
    ['Imam Ali', 'name'],
    ['society', 'word'],
  ])('finds the society by %s, matched by %s', async (q, match) => {
    const items = await search('organizations', q);
    expect(items.map((o) => [o.name, o.match])).toEqual([[SOCIETY, match]]);
  });

  it('ranks a whole name before an alias before a word, then by name', async () => {
    const items = await search('persons', 'rahimi');
    expect(items.map((p) => [p.name, p.match])).toEqual([
      ['Rahimi Karimi', 'name'],
      ['Karim Moradi', 'alias'],
      ['Zahra Rahimi', 'word'],
    ]);
    // Paged one by one, the same order, none repeated or skipped.
    const walked = await walkPages(admin, '/v1/admin/persons?q=rahimi&limit=1');
    expect(walked.map((p) => p.name)).toEqual(items.map((p) => p.name));
  });

  it('lists a subject matched many ways once, by its best match, and ranks within a match by the key it matched', async () => {
    const items = await search('persons', 'rahim');
    expect(items.map((p) => [p.name, p.match])).toEqual([
      ['Rahimi Karimi', 'name'],
      ['Karim Moradi', 'alias'], // rahimimoradi
      ['Maryam Rahim Rahimpour', 'alias'], // rahimrahimpour, not again by its words
      ['Zahra Rahimi', 'word'],
    ]);
    const walked = await walkPages(admin, '/v1/admin/persons?q=rahim&limit=1');
    expect(walked.map((p) => p.name)).toEqual(items.map((p) => p.name));
  });

  it('finds another spelling of a whole name as similar, and never again one a prefix matched', async () => {
    await waitFor(
      async () =>
        (await stack.db.pool.query(`SELECT 1 FROM read_similar_keys WHERE key = 'umidmamandinejad'`)).rowCount! > 0,
      { what: 'the similar-names projection' },
    );
    const items = await search('persons', 'Omid Meymandinejad');
    expect(items.map((p) => [p.name, p.match])).toEqual([
      ['Omid Meymandinejad Rad', 'name'],
      ['Omid Meymandinezhad', 'similar'],
    ]);
    const first = await admin('/v1/admin/persons?q=Omid%20Meymandinejad&limit=1');
    const second = await admin(
      `/v1/admin/persons?q=Omid%20Meymandinejad&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
    );
    expect([...first.items, ...second.items].map((p: Json) => p.name)).toEqual(items.map((p) => p.name));
    expect(second.nextCursor).toBeNull();
    // A prefix match is not repeated as similar.
    expect((await search('persons', 'Omid Meymandinezhad')).map((p) => [p.name, p.match])).toEqual([
      ['Omid Meymandinezhad', 'name'],
    ]);
  });

  it('says how an item matched only when searched', async () => {
    const { items } = await admin('/v1/admin/persons?limit=500');
    expect(items.every((p: Json) => !('match' in p))).toBe(true);
  });

  it('finds nothing for a prefix of no word, and refuses a q with nothing to search for or too long', async () => {
    expect(await search('persons', 'aymand')).toEqual([]);
    for (const q of ['   ', '\u200C\u200F', '-', 'a'.repeat(201)]) {
      const problem = await expectProblem(
        await stack.api.request(`/v1/admin/persons?q=${encodeURIComponent(q)}`, { admin: true }),
        400,
      );
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['q']);
    }
  });

  it('rebuilds the name words to the same rows', async () => {
    const before = await words();
    expect(before.length).toBeGreaterThan(0);
    await rebuildProjections(stack, ['name-words']);
    expect(await words()).toEqual(before);
  });

  it.each(['person', 'organization'] as const)(
    'searches %ss by ranges of read_name_words keys in its indexes, never reading it or the subjects whole',
    async (kind) => {
      const sql = SUBJECT_STATEMENTS[kind].search;
      // The hits and their subjects' rows; the view's memberships and incidents are per item of the page.
      const whole = await readWholeByGenericPlan(stack.db.pool, sql);
      const tables = ['read_name_words', 'read_persons', 'read_organizations', 'read_incident'];
      expect(whole.filter((read) => tables.some((t) => read.includes(t)))).toEqual([]);
      const conditions = await indexConditionsByGenericPlan(stack.db.pool, sql, 'read_name_words');
      expect(conditions.length).toBeGreaterThan(0);
      // Bounded above by the end of the prefix's range, below by its beginning or the cursor's key.
      for (const condition of conditions) {
        expect(condition).toMatch(/key < \(\$2 \|\|/);
        expect(condition).toMatch(/key >= \$2|ROW\(key, subject_id\) > ROW\(/);
      }
    },
  );

  it.each(['person', 'organization'] as const)(
    'reads each rank of a %s search in its index order up to the limit, sorting only the page',
    async (kind) => {
      // A sort, grouping or hash over every match of a prefix is a cost that grows with the data.
      const sql = SUBJECT_STATEMENTS[kind].search;
      expect(await unboundedSortsByGenericPlan(stack.db.pool, sql, 'read_name_words')).toEqual([]);
    },
  );

  // Last: it grows the subject tables for good. An empty table's statistics hide a join that hashes it whole.
  it.each(['person', 'organization'] as const)(
    'probes each hit of a %s search and of its suggestions by its id when the subjects are 100,000, without JIT compiling the search',
    async (kind) => {
      // Each grown subject with a whole name and two words, as the name-words projection keeps them.
      await stack.db.pool.query(
        `WITH grown AS (
           INSERT INTO read_${kind}s (id, name)
           SELECT gen_random_uuid(), 'grown ' || n FROM generate_series(1, 100000) n RETURNING id, name)
         INSERT INTO read_name_words (subject, key, subject_id, from_alias, whole, word)
         SELECT '${kind}', w.key, g.id, false, w.whole, w.key
           FROM grown g CROSS JOIN LATERAL (VALUES (g.name, true), ('grown', false), (split_part(g.name, ' ', 2), false)) w(key, whole)`,
      );
      await stack.db.pool.query(`ANALYZE read_${kind}s, read_name_words`);
      const subjects = ['read_persons', 'read_organizations'];
      // The suggestions (the subscribe form's) are the search's hits with the names only: the same probes.
      for (const sql of [SUBJECT_STATEMENTS[kind].search, SUBJECT_STATEMENTS[kind].suggest]) {
        expect((await readWholeByGenericPlan(stack.db.pool, sql)).filter((read) => subjects.includes(read))).toEqual(
          [],
        );
      }
      // The generic plan's cost passes jit_above_cost: compiled on every search, it cost 100 ms against 2 (README);
      // the pool is the one Vigil's processes open (createPgPool).
      expect((await stack.db.pool.query('SHOW jit')).rows[0].jit).toBe('off');
    },
  );
});
