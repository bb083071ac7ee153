import { appendEvents, eventsHeldBehindHorizon } from '@vigil/event-store';
import { seededRandom } from '../support/seeded-random';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { waitFor } from '../support/wait-for';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Rows that share their sort values: every third one made at the same microsecond, the others one
 * microsecond apart within the same millisecond (a key kept in milliseconds repeats or skips them).
 */
const MADE_AT = `CASE WHEN g % 3 = 0 THEN timestamptz '2026-01-02 03:04:05.123001+00'
                      ELSE timestamptz '2026-01-02 03:04:05.123001+00' + g * interval '1 microsecond' END`;
const ROWS = 17;

/** Every paged list, what identifies an item in it, and how to ask the database for all its ids. */
const LISTS: { path: string; idOf: (item: Json) => string | number; all: string }[] = [
  { path: '/v1/admin/incidents', idOf: (i) => i.id, all: 'SELECT id::text FROM read_incidents' },
  { path: '/v1/admin/persons', idOf: (p) => p.id, all: 'SELECT id::text FROM read_persons' },
  { path: '/v1/admin/organizations', idOf: (o) => o.id, all: 'SELECT id::text FROM read_organizations' },
  // Searched: ranked name, alias, word, then by name and id (the words are made in beforeAll).
  { path: '/v1/admin/persons?q=name', idOf: (p) => p.id, all: 'SELECT id::text FROM read_persons' },
  { path: '/v1/admin/organizations?q=name', idOf: (o) => o.id, all: 'SELECT id::text FROM read_organizations' },
  { path: '/v1/admin/deliveries', idOf: (d) => d.id, all: 'SELECT id::text FROM deliveries' },
  {
    path: '/v1/admin/subscriptions',
    idOf: (s) => s.id,
    all: `SELECT id::text FROM subscriptions WHERE channel = 'email'`,
  },
  {
    path: '/v1/admin/webhook-subscriptions',
    idOf: (s) => s.id,
    all: `SELECT id::text FROM subscriptions WHERE channel = 'webhook'`,
  },
  { path: '/v1/admin/sources', idOf: (s) => s.id, all: 'SELECT id::text FROM sources' },
  { path: '/v1/admin/events', idOf: (e) => e.position, all: 'SELECT position FROM events' },
];

describe('Paged lists', () => {
  const { db, api } = useApiOnTestDatabase();

  const get = async (path: string) => readJson(await api.request(path, { admin: true }));
  const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

  /** Follows nextCursor from the first page to the end (for the log: to the first empty page). */
  async function walk(path: string, limit: number): Promise<Json[]> {
    const items: Json[] = [];
    let page: Json = await get(withQuery(path, `limit=${limit}`));
    // A cursor that steps back would loop for ever: more pages than rows is already a failure.
    for (let pages = 1; pages <= ROWS + 1; pages++) {
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      if (page.nextCursor === null || page.items.length === 0) return items;
      page = await get(withQuery(path, `limit=${limit}&cursor=${encodeURIComponent(page.nextCursor)}`));
    }
    throw new Error(`${path} handed out more pages than it has rows`);
  }

  beforeAll(async () => {
    const q = (sql: string) => db.pool.query(sql);
    await q(
      `INSERT INTO sources (name, created_at) SELECT 'Source ' || g, ${MADE_AT} FROM generate_series(1, ${ROWS}) g`,
    );
    await q(`INSERT INTO subscriptions (id, channel, email_box, status, created_at)
             SELECT gen_random_uuid(), 'email', 'reader' || g || '@example.org', 'active', ${MADE_AT}
               FROM generate_series(1, ${ROWS}) g`);
    await q(`INSERT INTO subscriptions (id, channel, url, status, created_at)
             SELECT gen_random_uuid(), 'webhook', 'https://partner.example.org/' || g, 'active', ${MADE_AT}
               FROM generate_series(1, ${ROWS}) g`);
    await q(`INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload, status, created_at)
             SELECT gen_random_uuid(), (ARRAY['email', 'webhook'])[g % 2 + 1], gen_random_uuid(), gen_random_uuid(),
                    'incident.recorded', '{}', (ARRAY['pending', 'delivered', 'failed', 'dead'])[g % 4 + 1], ${MADE_AT}
               FROM generate_series(1, ${ROWS}) g`);
    for (const [table, subject] of [
      ['read_persons', 'person'],
      ['read_organizations', 'organization'],
    ]) {
      await q(`INSERT INTO ${table} (id, name)
               SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN 'Same Name' ELSE 'Name ' || g % 3 END
                 FROM generate_series(1, ${ROWS}) g`);
      // q=name: "Name n" matches by its name, "Same Name" by its word, about half of them by an alias too
      // (picked by md5, not in id order: a cursor that forgot the rank would then skip some).
      await q(`INSERT INTO read_name_words (subject, key, subject_id, from_alias, whole, word)
               SELECT '${subject}', lower(replace(name, ' ', '')), id, false, true, name FROM ${table}
               UNION ALL
               SELECT '${subject}', 'name', id, false, false, 'Name' FROM ${table} WHERE name = 'Same Name'
               UNION ALL
               SELECT '${subject}', 'nameless', id, true, true, 'Nameless' FROM ${table}
                WHERE name = 'Same Name' AND md5(id::text) < '8'`);
    }
    // Incidents share their day and precision in groups; only the report's position tells them apart.
    await q(`INSERT INTO read_incidents (id, type, occurred_on, occurred_from, occurred_to, precision_rank, persons,
                                         organizations, details, source, recorded_at, position)
             SELECT gen_random_uuid(), 'arrest', '{"value": "2020-06", "precision": "month"}', date '2020-06-01',
                    date '2020-06-30', 2 + g % 2, '[]', '[]', '{}', '{}', now(), g
               FROM generate_series(1, ${ROWS}) g`);
    for (let i = 0; i < ROWS; i++) {
      await appendEvents(db.pool, [
        { streamId: `walked-${i % 5}`, expected: 'any', events: [{ type: 'Walked', schemaVersion: 1, data: { i } }] },
      ]);
    }
    // The log lists only what every reader may read: a transaction another suite holds open on this server keeps
    // the events just appended out of the list until it ends (docs/architecture.md, "The reading rule").
    await waitFor(async () => !(await eventsHeldBehindHorizon(db.pool)), {
      timeoutMs: 45_000,
      what: 'the appended events to pass the read horizon',
    });
  });

  it.each(LISTS.map((list) => [list.path, list]))(
    'walks %s page by page over rows with equal sort values, skipping and repeating none',
    async (_, { path, idOf, all }) => {
      const expected = (await db.pool.query(all)).rows.map((row) => row.id ?? row.position);
      expect(expected).toHaveLength(ROWS);
      const whole = (await get(withQuery(path, 'limit=500'))).items.map(idOf);
      expect([...whole].sort()).toEqual([...expected].sort());
      for (const limit of [1, 2, 3, 5]) {
        expect((await walk(path, limit)).map(idOf)).toEqual(whole);
      }
    },
  );

  it('filters deliveries by status, channel, subscription and incident, on every page', async () => {
    for (const status of ['pending', 'delivered', 'failed', 'dead']) {
      const { rows } = await db.pool.query(`SELECT id::text FROM deliveries WHERE status = $1`, [status]);
      const walked = await walk(`/v1/admin/deliveries?status=${status}`, 2);
      expect(walked.every((d) => d.status === status)).toBe(true);
      expect(walked.map((d) => d.id).sort()).toEqual(rows.map((row) => row.id).sort());
    }
    const webhook = await walk('/v1/admin/deliveries?channel=webhook&status=delivered', 1);
    const { rows } = await db.pool.query(
      `SELECT id::text FROM deliveries WHERE channel = 'webhook' AND status = 'delivered'`,
    );
    expect(webhook.map((d) => d.id).sort()).toEqual(rows.map((row) => row.id).sort());
    const one = webhook[0];
    expect(await get(`/v1/admin/deliveries?subscriptionId=${one.subscriptionId}`)).toEqual({
      items: [one],
      nextCursor: null,
    });
    // Three alerts about one incident, made at the same microsecond as others: walked one at a time, no other.
    const incidentId = '0f1e2d3c-4b5a-4697-8877-665544332211';
    const { rows: about } = await db.pool.query(
      `UPDATE deliveries SET incident_id = $1
        WHERE id IN (SELECT id FROM deliveries ORDER BY created_at, id LIMIT 3) RETURNING id::text`,
      [incidentId],
    );
    const ofIncident = await walk(`/v1/admin/deliveries?incidentId=${incidentId}`, 1);
    expect(ofIncident.map((d) => d.id).sort()).toEqual(about.map((row) => row.id).sort());
    expect(ofIncident.every((d) => d.incidentId === incidentId)).toBe(true);
    expect(await get(`/v1/admin/deliveries?incidentId=${one.incidentId}&status=${one.status}`)).toEqual({
      items: [one],
      nextCursor: null,
    });
    await expectProblem(await api.request('/v1/admin/deliveries?status=lost', { admin: true }), 400);
    await expectProblem(await api.request('/v1/admin/deliveries?incidentId=admin', { admin: true }), 400);
  });

  it.each([
    ['/v1/admin/incidents?from=2020-02-30', 'from'],
    ['/v1/admin/incidents?to=0000-01-01', 'to'],
    ['/v1/admin/events?after=9007199254740992', 'after'],
    ['/v1/admin/deliveries?limit=501', 'limit'],
  ])('answers %s, which PostgreSQL could not take, with 400 naming %s', async (path, field) => {
    const problem = await expectProblem(await api.request(path, { admin: true }), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([field]);
  });

  it.each(LISTS.map((list) => [list.path]))(
    'answers %s with 400 problem+json, never 500, for cursors it did not hand out (seeded fuzz)',
    async (path) => {
      const random = seededRandom(hash(path));
      const others = await Promise.all(
        LISTS.filter((list) => list.path !== path).map(
          async (list) => (await get(withQuery(list.path, 'limit=1'))).nextCursor as string,
        ),
      );
      const own = (await get(withQuery(path, 'limit=1'))).nextCursor as string;
      const ownParts = JSON.parse(Buffer.from(own, 'base64url').toString('utf8')) as unknown[];
      const cursors = [
        '1',
        base64url('1'),
        base64url('"2020-02-30"'),
        base64url(JSON.stringify([1, 'deliveries', '2020-02-30', '00000000-0000-0000-0000-000000000000'])),
        ...others,
        // Each part of a real cursor replaced by each odd value, then random garbles of it.
        ...ownParts.flatMap((_, slot) =>
          ODD_VALUES.map((value) => base64url(JSON.stringify(ownParts.map((part, i) => (i === slot ? value : part))))),
        ),
        ...Array.from({ length: 60 }, () => forgedCursor(random, ownParts)),
      ];
      for (const cursor of cursors) {
        const response = await api.request(withQuery(path, `cursor=${encodeURIComponent(cursor)}`), { admin: true });
        if (response.status === 200) {
          // A well-formed key of this list is a position like any other: it answers a page.
          const page = await readJson(response);
          expect(Object.keys(page)).toEqual(['items', 'nextCursor']);
          expect(Array.isArray(page.items)).toBe(true);
          continue;
        }
        const problem = await expectProblem(response, 400);
        expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
      }
    },
  );
});

const base64url = (text: string) => Buffer.from(text).toString('base64url');

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  2 ** 63,
  1e308,
  -1e308,
  '',
  '1',
  '-1',
  '2020-02-30',
  '2020-13-01',
  '0000-01-01',
  '99999-01-01',
  '18446744073709551616',
  '99999999999999999999999',
  'NaN',
  '\u0000',
  '\ud800',
  'a'.repeat(1200),
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-000000000000',
  [],
  {},
  { '': null },
  [1, [2, [3]]],
];

/** A cursor that is almost right: the list's own parts, some replaced, dropped, added or garbled. */
function forgedCursor(random: () => number, parts: unknown[]): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const values = [...parts];
  switch (pick(['replace', 'replace', 'replace', 'drop', 'add', 'bytes', 'json'])) {
    case 'replace':
      for (let n = 1 + Math.floor(random() * 2); n > 0; n--)
        values[Math.floor(random() * values.length)] = pick(ODD_VALUES);
      return base64url(JSON.stringify(values));
    case 'drop':
      values.splice(Math.floor(random() * values.length), 1);
      return base64url(JSON.stringify(values));
    case 'add':
      values.push(pick(ODD_VALUES));
      return base64url(JSON.stringify(values));
    case 'bytes':
      return Array.from({ length: 1 + Math.floor(random() * 64) }, () =>
        pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=%. ']),
      ).join('');
    default:
      return base64url(JSON.stringify(pick(ODD_VALUES)));
  }
}
