import fc from 'fast-check';

/**
 * fast-check generators for the parts of an HTTP request, shared by the route fuzz (test/e2e/route-fuzz).
 * Each one mixes the values a route expects with the ones that broke routes before: days that do not exist,
 * numbers PostgreSQL cannot hold, lone surrogates, NUL, prototype keys, deep nesting.
 */

/** Strings that have reached a database or a parser badly somewhere, in some project. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\u200c',
  '%00',
  '%ZZ',
  '%',
  '1e3',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '9007199254740993',
  '18446744073709551616',
  '99999999999999999999999',
  '2021-02-30',
  '2020-13-01',
  '9999-99-99',
  '0000-01-01',
  '10000-01-01',
  '2020-1-1',
  '۱۳۹۹-۰۴-۰۱',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-00000000000g',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
  'true',
  'null',
  '[]',
  '{}',
  "'; DROP TABLE events; --",
  '../../etc/passwd',
  'a'.repeat(201),
  'x'.repeat(3000),
  'javascript:alert(1)',
];

/** Any text, biased to the odd strings above. */
export const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  );

/** Any JSON value, biased to odd strings, big numbers and nesting. */
export const jsonValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, 2 ** 63, 1e308, -1e308) },
    { weight: 1, arbitrary: fc.constantFrom([], {}, [null], [{}], { __proto__: null }, deepArray(2000)) },
  );

function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

type Json = unknown;

/** As deep as 64 KiB of JSON goes: too deep to clone or stringify here, so written as text. */
const DEEPEST = `{"externalId":${'['.repeat(32_000)}${']'.repeat(32_000)}}`;

/**
 * A valid body with one to three of its entries (at any depth) replaced, removed or added: the inputs
 * that get furthest into a handler before something is wrong.
 */
export function mutated(base: Json): fc.Arbitrary<Json> {
  const edit = fc.record({
    path: fc.array(fc.nat(), { maxLength: 4 }),
    action: fc.constantFrom('replace', 'replace', 'delete', 'add'),
    key: fc.constantFrom('extra', 'id', 'name', '__proto__', 'constructor', 'calendar', 'aliases', 'role'),
    value: jsonValue(),
  });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const copy = structuredClone(base) as Record<string, unknown>;
    for (const { path, action, key, value } of edits) {
      let target: Record<string, unknown> = copy;
      for (const step of path) {
        const keys = Object.keys(target);
        const child = keys.length ? target[keys[step % keys.length]] : undefined;
        if (!child || typeof child !== 'object') break;
        target = child as Record<string, unknown>;
      }
      const keys = Object.keys(target);
      const pick = keys[path.length % Math.max(keys.length, 1)];
      if (action === 'delete' && pick !== undefined) delete target[pick];
      else if (action === 'replace' && pick !== undefined) target[pick] = structuredClone(value);
      else if (Array.isArray(target)) target.push(structuredClone(value));
      // defineProperty: a plain assignment to `__proto__` would set the prototype, not send the key.
      else
        Object.defineProperty(target, key, {
          value: structuredClone(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return copy;
  });
}

/** The bytes of a body: mostly JSON (valid, mutated or any), sometimes not JSON at all. */
export function bodyText(valid: Json[]): fc.Arbitrary<string | undefined> {
  const arbitraries: fc.WeightedArbitrary<string | undefined>[] = [
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: jsonValue().map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"a":',
        'null',
        '[]',
        '"x"',
        '{"a":1,"a":2}',
        '\ufeff{}',
        'x'.repeat(70_000),
        DEEPEST,
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  ];
  for (const base of valid) {
    arbitraries.push({ weight: 2, arbitrary: fc.constant(JSON.stringify(base)) });
    arbitraries.push({ weight: 6, arbitrary: mutated(base).map((value) => JSON.stringify(value)) });
  }
  return fc.oneof(...arbitraries);
}

/** A value `fetch` accepts in a header: visible Latin-1, no control characters. */
export const headerValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...ODD_STRINGS.filter((value) => /^[\x20-\x7e]*$/.test(value))),
    fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((c) => c !== 0x7f)
        .map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  );

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  ';',
  'json',
];

/**
 * Headers a client may send: usually the JSON content type the route wants and nothing else, sometimes another
 * type, an odd X-Forwarded-For, Accept or Content-Encoding, or an unknown header.
 */
export function headers(extra: Record<string, fc.Arbitrary<string>> = {}): fc.Arbitrary<Record<string, string>> {
  // Each odd header in one request of five or so: most requests must get past them to the handler.
  const rarely = (arbitrary: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
  return fc
    .record({
      'content-type': fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
        { weight: 1, arbitrary: headerValue() },
      ),
      'x-forwarded-for': rarely(
        fc.oneof(
          fc.ipV4(),
          fc.ipV6(),
          fc.constantFrom('unknown', '127.0.0.1, 10.0.0.1', '::ffff:1.2.3.4', '999.1.1.1', 'a'.repeat(300)),
          headerValue(),
        ),
      ),
      accept: rarely(fc.constantFrom('*/*', 'text/html', 'application/xml', 'application/problem+json')),
      'content-encoding': rarely(fc.constantFrom('gzip', 'br', 'identity', 'x')),
      'x-odd': rarely(headerValue()),
      ...extra,
    })
    .map(
      (all) =>
        Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<string, string>,
    );
}

/** Percent-encodes as a client would; a lone surrogate goes as U+FFFD (encodeURIComponent would throw). */
const encode = (value: string): string => encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));

/** A query string from these parameters' own values and odd ones, with repeats and unknown names. */
export function queryString(params: Record<string, string[]>): fc.Arbitrary<string> {
  const names = [...Object.keys(params), 'extra', '__proto__', 'constructor'];
  const pair = fc.constantFrom(...names).chain((name) =>
    fc
      .oneof(
        {
          weight: 2,
          arbitrary: fc.constantFrom(...(Object.hasOwn(params, name) && params[name].length ? params[name] : ['1'])),
        },
        { weight: 2, arbitrary: text() },
      )
      .chain((value) =>
        fc.constantFrom(
          `${encode(name)}=${encode(value)}`,
          // Raw as well: what a careless client sends, percent signs and all.
          `${name}=${value.replace(/[#&\s]/g, '')}`,
          `${name}[]=${encode(value)}`,
          name,
        ),
      ),
  );
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

/** A path segment where an id or a name goes: a real one, another's, or anything. */
export function pathSegment(given: (string | undefined)[]): fc.Arbitrary<string> {
  const real = given.filter((value): value is string => !!value);
  if (!real.length) real.push('00000000-0000-0000-0000-000000000000');
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 2,
      arbitrary: text()
        .filter((value) => value.length > 0)
        .map((value) => encode(value)),
    },
    { weight: 1, arbitrary: fc.constantFrom('%2e%2e', '%2F', '%00', '%ZZ', 'a%20b', real[0].toUpperCase()) },
  );
}
