/**
 * The load generator, run as a second process so it does not share an event loop with the API it
 * measures: autocannon with `connections` clients for `seconds`, against one path. With SOURCE_SECRET
 * set, every request is a freshly signed, distinct incident report (Standard Webhooks); with PATHS_FILE, a
 * GET of one of its paths at random (AUTHORIZATION, if set, is sent with every GET).
 * Prints one JSON line: requests/s, p50/p99 latency, non-2xx count.
 */
import autocannon from 'autocannon';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const {
  TARGET_URL,
  CONNECTIONS = '1',
  SECONDS = '5',
  SOURCE_SECRET,
  REPLAY,
  PATHS_FILE,
  AUTHORIZATION,
  KNOWN_NAMES,
} = process.env;

/** With PATHS_FILE (a JSON array of paths), each GET takes one of them at random: a search bench's queries. */
const PATHS: string[] | undefined = PATHS_FILE ? JSON.parse(readFileSync(PATHS_FILE, 'utf8')) : undefined;
const GET_HEADERS: Record<string, string> = AUTHORIZATION ? { authorization: AUTHORIZATION } : {};
/**
 * With KNOWN_NAMES (a JSON file of `{persons, organizations}`), each report names a person and an organisation
 * picked from those lists, as reports about an established log do; without it, a new person every time.
 */
const known = KNOWN_NAMES
  ? (JSON.parse(readFileSync(KNOWN_NAMES, 'utf8')) as { persons: string[]; organizations: string[] })
  : undefined;
const pick = (names: string[]): string => names[Math.floor(Math.random() * names.length)];

const FIRST_DAY = Date.UTC(2000, 0, 1);
const DAYS = 9_132; // 2000-01-01 to 2024-12-31
/**
 * A report naming a known person happens on a day drawn from 25 years, so that nearly every report is a new
 * incident on a young log and on a grown one alike. On one fixed day the second report about a person is a
 * duplicate of the first, answered without an append: the share of such cheap answers grew with each run and
 * shrank with the number of known persons, so a young log (fewer persons) was timed on duplicates and a grown one
 * on new incidents (docs/scaling.md, "The intake on a young and a grown log, the same reports").
 */
const dayOfReport = (): string =>
  known ? new Date(FIRST_DAY + Math.floor(Math.random() * DAYS) * 86_400_000).toISOString().slice(0, 10) : '2024-03-01';

function signedReport(): { body: string; headers: Record<string, string> } {
  const id = randomUUID();
  const body = JSON.stringify({
    externalId: `load-${id}`,
    type: 'arrest',
    occurredOn: dayOfReport(),
    persons: known
      ? [{ name: pick(known.persons) }]
      : [
          {
            name: `Fictional Load ${id.slice(0, 8)}`,
            memberOf: [{ organization: 'Fictional Load Society', role: 'member' }],
          },
        ],
    organizations: [{ name: known ? pick(known.organizations) : 'Fictional Load Society' }],
    location: 'Tehran',
    details: { authority: 'security forces' },
    summary: 'A synthetic report for the intake benchmark.',
    source: { name: 'Bench Monitor', status: 'confirmed' },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(SOURCE_SECRET!.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}

async function main(): Promise<void> {
  const signed = Boolean(SOURCE_SECRET);
  const result = await autocannon({
    url: TARGET_URL!,
    connections: Number(CONNECTIONS),
    duration: Number(SECONDS),
    pipelining: 1,
    requests: [
      signed
        ? REPLAY
          ? { method: 'POST', ...signedReport() }
          : { method: 'POST', setupRequest: (request: autocannon.Request) => ({ ...request, ...signedReport() }) }
        : PATHS
          ? {
              method: 'GET',
              headers: GET_HEADERS,
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                path: PATHS[Math.floor(Math.random() * PATHS.length)],
              }),
            }
          : { method: 'GET', headers: GET_HEADERS },
    ] as autocannon.Request[],
  });
  process.stdout.write(
    `${JSON.stringify({
      perSecond: result.requests.average,
      total: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      // How many of each status answered (autocannon counts them), so that a non-2xx says what it was.
      statusCodes: Object.fromEntries(
        Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count]),
      ),
      errors: result.errors,
    })}\n`,
  );
}

void main();
