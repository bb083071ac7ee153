import { useApiOnTestDatabase } from '../support/test-api-database';
import { seedReports } from '../support/seed';
import { seededRandom } from '../support/seeded-random';

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  'x'.repeat(300),
  '\u200c',
  '\u0000',
  '۱۳۹۹-۰۴-۰۱',
  '2021-02-30',
  '1399-12-30',
  'jalali',
  'ruling',
  'dissolution',
  '00000000-0000-4000-8000-000000000000',
  '__proto__',
  [],
  [null],
  [{}],
  {},
  { name: 1 },
  { constructor: { prototype: { polluted: true } } },
  ['a', 'b'],
  'javascript:alert(1)',
  'https://example.org',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function mutate(body: Json, next: () => number): Json {
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  // A fresh copy each time: inserting the shared constant could nest it in itself.
  const odd = (): unknown => structuredClone(pick(ODD_VALUES));
  const copy = structuredClone(body);
  const times = 1 + Math.floor(next() * 3);
  for (let i = 0; i < times; i++) {
    // Walk to a random container, then change, add or delete one of its entries.
    let target: Json = copy;
    while (target && typeof target === 'object' && next() < 0.6) {
      const keys = Object.keys(target);
      if (!keys.length) break;
      const child = target[pick(keys)];
      if (!child || typeof child !== 'object') break;
      target = child;
    }
    if (!target || typeof target !== 'object') continue;
    const keys = Object.keys(target);
    const action = next();
    if (action < 0.3 && keys.length) delete target[pick(keys)];
    else if (action < 0.8 && keys.length) target[pick(keys)] = odd();
    else
      target[Array.isArray(target) ? target.length : pick(['extra', 'calendar', 'id', 'aliases', 'memberOf', 'role'])] =
        odd();
  }
  return copy;
}

describe('Incident intake: fuzzing', () => {
  const { api } = useApiOnTestDatabase();

  it('answers thousands of random mutations of valid reports without a 5xx', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const next = seededRandom(seed);
    const bases = seedReports();
    const serverErrors: { status: number; body: string; report: unknown }[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < 2_000) {
        sent++;
        const report = mutate(bases[Math.floor(next() * bases.length)], next);
        const response = await api.request('/v1/admin/incidents', { method: 'POST', admin: true, json: report });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        if (response.status >= 500) serverErrors.push({ status: response.status, body: text, report });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect({ seed, serverErrors: serverErrors.slice(0, 3) }).toEqual({ seed, serverErrors: [] });
    // Both kinds of answer occurred: the mutations were neither all harmless nor all fatal.
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect((statuses.get(201) ?? 0) + (statuses.get(200) ?? 0)).toBeGreaterThan(10);
    expect({} as Json).not.toHaveProperty('polluted');
  });
});
