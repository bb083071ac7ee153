import { useApiOnTestDatabase } from '../support/test-api-database';
import { readJson } from '../support/read-json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const valid = (): Body => ({
  externalId: 'bad-input-base',
  type: 'arrest',
  occurredOn: '2020-06-21',
  persons: [
    {
      name: 'Fictional Detainee',
      aliases: ['F. Detainee'],
      memberOf: [{ organization: 'Fictional Society', role: 'founder' }],
    },
  ],
  organizations: [{ name: 'Fictional Society', aliases: ['FS'] }],
  location: 'Tehran',
  details: { authority: 'security forces' },
  summary: 'A fictional arrest for tests.',
  source: { name: 'Test Monitor', url: 'https://example.org/', status: 'confirmed' },
});

const CASES: [string, (b: Body) => unknown, string][] = [
  ['a missing type', (b) => delete b.type, 'type'],
  ['an unknown type', (b) => (b.type = 'abduction'), 'type'],
  ['a missing occurredOn', (b) => delete b.occurredOn, 'occurredOn'],
  ['a malformed date', (b) => (b.occurredOn = '21/06/2020'), 'occurredOn'],
  ['a date that does not exist', (b) => (b.occurredOn = '2021-02-30'), 'occurredOn'],
  [
    'a Jalali date that does not exist',
    (b) => Object.assign(b, { occurredOn: '1399-13-01', calendar: 'jalali' }),
    'occurredOn',
  ],
  ['a day without a year that does not exist', (b) => (b.occurredOn = '--02-30'), 'occurredOn'],
  ['a day without a year in month 13', (b) => (b.occurredOn = '--13-01'), 'occurredOn'],
  ['a malformed day without a year', (b) => (b.occurredOn = '---06-11'), 'occurredOn'],
  [
    'a Jalali day without a year (it has no Gregorian day)',
    (b) => Object.assign(b, { occurredOn: '--03-21', calendar: 'jalali' }),
    'occurredOn',
  ],
  ['an unknown calendar', (b) => (b.calendar = 'lunar'), 'calendar'],
  ['an unknown top-level field', (b) => (b.severity = 'high'), 'severity'],
  ['an unknown person field', (b) => (b.persons[0].age = 30), 'persons[0].age'],
  ['persons of the wrong type', (b) => (b.persons = 'Fictional Detainee'), 'persons'],
  ['a name of the wrong type', (b) => (b.persons[0].name = 42), 'persons[0].name'],
  ['empty persons and organizations', (b) => Object.assign(b, { persons: [], organizations: [] }), 'persons'],
  ['a blank name', (b) => (b.persons[0].name = '   '), 'persons[0].name'],
  ['a name of only joiners', (b) => (b.persons[0].name = '\u200c\u200d'), 'persons[0].name'],
  ['an over-long name', (b) => (b.persons[0].name = 'x'.repeat(201)), 'persons[0].name'],
  ['an over-long alias', (b) => (b.organizations[0].aliases = ['y'.repeat(201)]), 'organizations[0].aliases'],
  [
    'more than 50 persons',
    (b) => (b.persons = Array.from({ length: 51 }, (_, i) => ({ name: `Person ${i}` }))),
    'persons',
  ],
  [
    'more than 20 organizations',
    (b) => (b.organizations = Array.from({ length: 21 }, (_, i) => ({ name: `Org ${i}` }))),
    'organizations',
  ],
  [
    'a person with both id and name',
    (b) => (b.persons[0].id = '00000000-0000-4000-8000-000000000001'),
    'persons[0].id',
  ],
  ['a person with neither id nor name', (b) => (b.persons[0] = { aliases: ['x'] }), 'persons[0].name'],
  ['an unknown person id', (b) => (b.persons = [{ id: '00000000-0000-4000-8000-000000000001' }]), 'persons[0].id'],
  ['a person id that is not a uuid', (b) => (b.persons = [{ id: 'abc' }]), 'persons[0].id'],
  [
    'a membership without organization',
    (b) => (b.persons[0].memberOf = [{ role: 'founder' }]),
    'persons[0].memberOf[0].organization',
  ],
  ['a missing source', (b) => delete b.source, 'source'],
  ['a bad source status', (b) => (b.source.status = 'rumour'), 'source.status'],
  ['a source url that is not http', (b) => (b.source.url = 'javascript:alert(1)'), 'source.url'],
  ['arrest details with an unknown field', (b) => (b.details.weapon = 'none'), 'details.weapon'],
  ['details of the wrong type', (b) => (b.details = 'security forces'), 'details'],
  [
    'a ruling without a court',
    (b) => Object.assign(b, { type: 'ruling', details: { outcome: 'sentence' } }),
    'details.court',
  ],
  [
    'a ruling with an unknown outcome',
    (b) => Object.assign(b, { type: 'ruling', details: { court: 'X', outcome: 'pardon' } }),
    'details.outcome',
  ],
  ['an execution without a facility', (b) => Object.assign(b, { type: 'execution', details: {} }), 'details.facility'],
  [
    'execution charges of the wrong type',
    (b) => Object.assign(b, { type: 'execution', details: { facility: 'P', charges: 'moharebeh' } }),
    'details.charges',
  ],
  ['a harassment without a kind', (b) => Object.assign(b, { type: 'harassment', details: {} }), 'details.kind'],
  [
    'a harassment of an unknown kind',
    (b) => Object.assign(b, { type: 'harassment', details: { kind: 'rumour' } }),
    'details.kind',
  ],
  ['an empty externalId', (b) => (b.externalId = ''), 'externalId'],
  ['a NUL character in a name', (b) => (b.persons[0].name = 'Fictional\u0000Detainee'), 'persons[0].name'],
  ['a lone surrogate in the summary', (b) => (b.summary = 'broken \ud800 text'), 'summary'],
  ['null for an optional field', (b) => (b.details = null), 'details'],
  ['null persons', (b) => (b.persons = null), 'persons'],
  ['an array where a person belongs', (b) => (b.persons = [[]]), 'persons'],
  [
    'an array where a membership belongs',
    (b) => (b.persons[0].memberOf = [['Fictional Society']]),
    'persons[0].memberOf',
  ],
];

describe('Incident intake: bad input', () => {
  const { db, api } = useApiOnTestDatabase();

  const logSize = async () => {
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM subject_name_keys)::int AS keys,
              (SELECT count(*) FROM idempotency_keys)::int AS idempotency`,
    );
    return rows[0];
  };
  const post = (init: RequestInit & { json?: unknown }) =>
    api.request('/v1/admin/incidents', { method: 'POST', admin: true, ...init });

  it.each(CASES)('answers %s with 400 naming the field, and writes nothing', async (_, mutate, path) => {
    const before = await logSize();
    const body = valid();
    mutate(body);
    const response = await post({ json: body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await readJson(response);
    expect(problem).toMatchObject({
      status: 400,
      title: 'Bad Request',
      type: expect.any(String),
      detail: expect.any(String),
    });
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await logSize()).toEqual(before);
  });

  it('answers a body that is not JSON with 400', async () => {
    const response = await post({ body: '{"type": "arrest",', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers a wrong content type with 415', async () => {
    const response = await post({ body: JSON.stringify(valid()), headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers a 100 KiB body with 413 and writes nothing', async () => {
    const before = await logSize();
    const response = await post({ json: { ...valid(), summary: 's'.repeat(100 * 1024) } });
    expect(response.status).toBe(413);
    expect((await readJson(response)).status).toBe(413);
    expect(await logSize()).toEqual(before);
  });

  it('records the valid body the cases start from', async () => {
    expect((await post({ json: valid() })).status).toBe(201);
  });
});
