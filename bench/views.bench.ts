import { loadavg } from 'node:os';
import { createLogger, loadConfig, Metrics } from '@vigil/platform';
import { createProjections } from '@vigil/projections';
import { createApiApp } from '../apps/api/src/api-app';
import type { BenchContext, Summary } from './context';
import { measured } from './process-cpu';
import { catchUp } from './projections.bench';
import { measureAdminReads } from './scale/admin-reads';
import { ScaleLog } from './scale/scale-log';
import { median, percentile, round } from './stats';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789';
const SAMPLES = 200;

/**
 * The admin reads of the scale bench (bench/scale/admin-reads.ts: one client, p99 of 200) on a log of its own
 * in which one person is named in `--busy` incidents (1,000, the issue's), without the rest of the scale bench:
 * a ScaleLog of `--size` events (102,000: 20,200 incidents, the busy person in every 20th of the first 20,000),
 * caught up by every projection. Then the busy person's answer taken apart, from the same requests: the CPU each costs the
 * API's process (its fetch by the client included, not the client's parse) and PostgreSQL, the time to its last
 * byte, and the client's parse of it on its own (docs/scaling.md, "The person in 1,000 incidents").
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const size = Number(process.env.BENCH_SIZE ?? 102_000);
  const busy = Number(process.env.BENCH_BUSY ?? 1_000);
  const pool = ctx.pool(4);
  const log = new ScaleLog(busy);
  const buildSeconds = round(await log.growTo(pool, size));
  for (const projection of createProjections()) await catchUp(ctx, pool, projection);
  await pool.query('VACUUM (ANALYZE)');
  ctx.print({ bench: 'views', events: log.events, incidents: log.incidents, buildSeconds });

  const config = loadConfig({
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.queuePrefix,
    ADMIN_TOKEN,
  });
  const app = await createApiApp(config, createLogger('bench-api', 'silent'), new Metrics(false));
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const loadAtStart = loadavg()[0];
    const page = Math.min(100, Math.floor(log.incidents / 50) - 1);
    const reads = await measureAdminReads(base, ADMIN_TOKEN, log.busyPerson.id, page);

    const person = `${base}/v1/admin/persons/${log.busyPerson.id}`;
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const lastByte: number[] = [];
    let body = Buffer.alloc(0);
    const split = await measured(pool, async () => {
      for (let i = 0; i < SAMPLES; i++) {
        const started = performance.now();
        body = Buffer.from(await (await fetch(person, { headers })).arrayBuffer());
        lastByte.push(performance.now() - started);
      }
      return { total: SAMPLES };
    });
    const parse: number[] = [];
    let incidents = 0;
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      incidents = (JSON.parse(body.toString('utf8')) as { incidents: unknown[] }).incidents.length;
      parse.push(performance.now() - started);
    }
    const busyPerson = {
      incidents,
      bytes: body.length,
      apiCpuMs: round(split.apiCpuMs),
      dbCpuMs: round(split.dbCpuMs),
      statements: round(split.statements),
      lastByteP50Ms: round(median(lastByte)),
      lastByteP99Ms: round(percentile(lastByte, 99)),
      clientParseP50Ms: round(median(parse)),
    };
    ctx.print({ bench: 'views', ...reads, busyPerson });
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
        loadAverage: { atStart: round(loadAtStart), atEnd: round(loadavg()[0]) },
      },
    };
  } finally {
    await app.close();
  }
}
