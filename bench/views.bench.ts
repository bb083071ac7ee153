import { loadavg } from 'node:os';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { createLogger, Metrics, PG_POOL } from '@vigil/platform';
import { createProjections, newestOccurredFirst } from '@vigil/projections';
import { createApiApp } from '../apps/api/src/api-app';
import { jsonBytes, JsonText } from '../apps/api/src/http/json-text';
import { INCIDENT_VIEW, INCIDENT_VIEW_JSON } from '../apps/api/src/read-models/incident-view';
import { benchConfig, BENCH_ADMIN_TOKEN, type BenchContext, type Summary } from './context';
import { measured } from './process-cpu';
import { catchUp } from './projections.bench';
import { measureAdminReads, oneClient, WARM_UP } from './scale/admin-reads';
import { ScaleLog } from './scale/scale-log';
import { median, percentile, round } from './stats';

const SAMPLES = 200;
const STORED_PATH = '/bench/stored-views';
const STATIC_PATH = '/bench/static-answer';

/**
 * The admin reads of the scale bench (bench/scale/admin-reads.ts: one client, p99 of 200) on a log of its own
 * in which one person is named in `--busy` incidents (1,000, the issue's), without the rest of the scale bench:
 * a ScaleLog of `--size` events (102,000: 20,200 incidents, the busy person in every 20th of the first 20,000),
 * caught up by every projection. Then the busy person's answer taken apart, from the same requests: the CPU each
 * costs the API's process (its fetch by the client included, not the client's parse) and PostgreSQL, the time to
 * its last byte, and the client's parse on its own. Last, p50 and p99 of the answer again (parse included) beside
 * four references, by the same client in the same run: the same request with the view's ETag in If-None-Match (a
 * client that keeps the view, answered 304), the same view from an API that keeps none
 * (ADMIN_VIEW_CACHE_MIB=0: what the first read after a projection moved costs, since the API keeps large views until
 * then), the same incidents' views stored ready in a table (what a view rendered at write time would cost to read),
 * and the answer's bytes sent from memory (the transfer and the client's parse alone, the floor of any design that
 * sends them).
 * docs/scaling.md, "The person in 1,000 incidents".
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const size = Number(process.env.BENCH_SIZE ?? 102_000);
  const busy = Number(process.env.BENCH_BUSY ?? 1_000);
  const pool = ctx.pool(4);
  const log = new ScaleLog(busy);
  const buildSeconds = round(await log.growTo(pool, size));
  for (const projection of createProjections()) await catchUp(ctx, pool, projection);
  await storeViews(pool, log.busyPerson.id);
  await pool.query('VACUUM (ANALYZE)');
  ctx.print({ bench: 'views', events: log.events, incidents: log.incidents, buildSeconds });

  const config = benchConfig(ctx);
  const app = await createApiApp(config, createLogger('bench-api', 'silent'), new Metrics(false));
  await app.init();
  const answer = { bytes: Buffer.alloc(0) };
  registerReferences(app, answer);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
    const loadAtStart = loadavg()[0];
    const page = Math.min(100, Math.floor(log.incidents / 50) - 1);
    const reads = await measureAdminReads(base, BENCH_ADMIN_TOKEN, log.busyPerson.id, page);

    const person = `${base}/v1/admin/persons/${log.busyPerson.id}`;
    const lastByte: number[] = [];
    const split = await measured(pool, async () => {
      for (let i = 0; i < SAMPLES; i++) {
        const started = performance.now();
        answer.bytes = Buffer.from(await (await fetch(person, { headers })).arrayBuffer());
        lastByte.push(performance.now() - started);
      }
      return { total: SAMPLES };
    });
    const parse: number[] = [];
    let incidents = 0;
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      incidents = (JSON.parse(answer.bytes.toString('utf8')) as { incidents: unknown[] }).incidents.length;
      parse.push(performance.now() - started);
    }
    const parsed = (path: string) => async () => {
      await (await fetch(`${base}${path}`, { headers })).json();
    };
    // p50 beside p99: on a shared machine the p99 of 200 is mostly the scheduler's.
    const p50p99 = (samples: number[]) => ({ p50Ms: round(median(samples)), p99Ms: round(percentile(samples, 99)) });
    const references = {
      busyPerson: p50p99(await oneClient(parsed(`/v1/admin/persons/${log.busyPerson.id}`))),
      busyPersonReadEachTime: await readEachTime(ctx, pool, log.busyPerson.id, p50p99),
      busyPersonRevalidated: p50p99(await oneClient(revalidated(person, headers))),
      storedViews: p50p99(await oneClient(parsed(`${STORED_PATH}/${log.busyPerson.id}`))),
      staticAnswer: p50p99(await oneClient(parsed(STATIC_PATH))),
    };
    const busyPerson = {
      incidents,
      bytes: answer.bytes.length,
      apiCpuMs: round(split.apiCpuMs),
      dbCpuMs: round(split.dbCpuMs),
      statements: round(split.statements),
      lastByteP50Ms: round(median(lastByte)),
      lastByteP99Ms: round(percentile(lastByte, 99)),
      clientParseP50Ms: round(median(parse)),
    };
    ctx.print({ bench: 'views', ...reads, busyPerson, references });
    return {
      metric: `p99 ms of GET /v1/admin/persons/{id} of a person in ${incidents} incidents, one client (parse included)`,
      value: reads.busyPersonP99Ms,
      ceiling: null,
      target: 20,
      meets: reads.busyPersonP99Ms < 20,
      details: {
        events: log.events,
        adminReadsP99Ms: { ...reads, target: '< 20 each' },
        busyPerson,
        references,
        loadAverage: { atStart: round(loadAtStart), atEnd: round(loadavg()[0]) },
      },
    };
  } finally {
    await app.close();
  }
}

/**
 * A client that holds the view and asks again with its ETag (If-None-Match): what it pays while nothing moved, a 304
 * without a body. Throws unless it is one.
 */
function revalidated(url: string, headers: Record<string, string>): () => Promise<void> {
  let entityTag: string | undefined;
  return async () => {
    entityTag ??= (await fetch(url, { headers }).then((response) => response.headers.get('etag'))) ?? undefined;
    const response = await fetch(url, { headers: { ...headers, 'if-none-match': entityTag ?? '' } });
    if (response.status !== 304) throw new Error(`a revalidation answered ${response.status}, not 304`);
    await response.arrayBuffer();
  };
}

/**
 * The busy person's view from a second API of the same code that keeps no view (ADMIN_VIEW_CACHE_MIB=0), read from
 * the read models at every request: what the first read after a projection moved costs, with its CPU split.
 */
async function readEachTime(
  ctx: BenchContext,
  pool: Pool,
  personId: string,
  p50p99: (samples: number[]) => { p50Ms: number; p99Ms: number },
): Promise<{ p50Ms: number; p99Ms: number; apiCpuMs: number; dbCpuMs: number }> {
  const config = benchConfig(ctx, { ADMIN_VIEW_CACHE_MIB: '0' });
  const app = await createApiApp(config, createLogger('bench-api-read-each-time', 'silent'), new Metrics(false));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/v1/admin/persons/${personId}`;
    const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
    let samples: number[] = [];
    const split = await measured(pool, async () => {
      samples = await oneClient(async () => {
        await (await fetch(url, { headers })).json();
      });
      return { total: WARM_UP + samples.length };
    });
    return { ...p50p99(samples), apiCpuMs: round(split.apiCpuMs), dbCpuMs: round(split.dbCpuMs) };
  } finally {
    await app.close();
  }
}

/** The busy person's incident views, rendered once by the API's own INCIDENT_VIEW, kept in order in a table. */
async function storeViews(pool: Pool, personId: string): Promise<void> {
  await pool.query(
    `CREATE TABLE bench_stored_views AS
     SELECT si.subject_id, row_number() OVER (ORDER BY ${newestOccurredFirst('i')}) AS n, ${INCIDENT_VIEW_JSON} AS view
       FROM read_incident_subjects si JOIN read_incidents i ON i.id = si.incident_id ${INCIDENT_VIEW}
      WHERE si.subject_id = $1`,
    [personId],
  );
  await pool.query('CREATE INDEX ON bench_stored_views (subject_id, n)');
}

/**
 * The two references, on the API's own Fastify (its hooks and headers) and pool, between init and listen: never
 * served by the API itself.
 */
function registerReferences(app: NestFastifyApplication, answer: { bytes: Buffer }): void {
  const pool = app.get<Pool>(PG_POOL);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(
    `${STORED_PATH}/:id`,
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const { rows } = await pool.query<{ view: string }>(
        'SELECT view FROM bench_stored_views WHERE subject_id = $1 ORDER BY n',
        [request.params.id],
      );
      return reply
        .type('application/json; charset=utf-8')
        .send(jsonBytes({ incidents: JsonText.array(rows.map((row) => row.view)) }));
    },
  );
  fastify.get(STATIC_PATH, async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/json; charset=utf-8').send(answer.bytes),
  );
}
