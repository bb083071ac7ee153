import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger, loadConfig, Metrics } from '@vigil/platform';
import { createApiApp } from '../apps/api/src/api-app';
import type { BenchContext, Summary } from './context';
import { medianOfRuns, round } from './stats';

const run$ = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789';

interface Load {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** Runs the load generator in a second process (see load/http-load.ts) and reads its one JSON line. */
async function load(url: string, connections: number, secret?: string): Promise<Load> {
  const { stdout } = await run$(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'load/http-load.ts')],
    {
      env: {
        ...process.env,
        TARGET_URL: url,
        CONNECTIONS: String(connections),
        SECONDS: String(SECONDS),
        SOURCE_SECRET: secret ?? '',
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/**
 * Signed partner reports against the running API (signature, validation, name resolution and the append
 * together), with GET /health/live of the same API as the ceiling, from the same client.
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const config = loadConfig({
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.queuePrefix,
    ADMIN_TOKEN,
  });
  const app = await createApiApp(config, createLogger('bench-api', 'silent'), new Metrics(false));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const created = await fetch(`${base}/v1/admin/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Monitor' }),
    });
    const source = (await created.json()) as { id: string; secret: string };
    const results: Record<string, Load> = {};
    for (const clients of [1, 16]) {
      const figures = await medianOfRuns(async () => {
        const intake = await load(`${base}/v1/webhooks/incidents/${source.id}`, clients, source.secret);
        const ceiling = await load(`${base}/health/live`, clients);
        if (intake.non2xx || intake.errors)
          throw new Error(`intake answered ${intake.non2xx} non-2xx and ${intake.errors} errors`);
        return {
          intake: intake.perSecond,
          intakeP50: intake.p50Ms,
          intakeP99: intake.p99Ms,
          ceiling: ceiling.perSecond,
          ceilingP50: ceiling.p50Ms,
          ceilingP99: ceiling.p99Ms,
        };
      });
      ctx.print({ bench: 'intake', clients, ...figures });
      results[clients] = {
        perSecond: figures.intake,
        p50Ms: figures.intakeP50,
        p99Ms: figures.intakeP99,
        non2xx: 0,
        errors: 0,
      };
      results[`ceiling${clients}`] = {
        perSecond: figures.ceiling,
        p50Ms: figures.ceilingP50,
        p99Ms: figures.ceilingP99,
        non2xx: 0,
        errors: 0,
      };
    }
    const value = round(results[16].perSecond);
    const ceiling = round(results.ceiling16.perSecond);
    return {
      metric: 'signed reports/s at 16 clients',
      value,
      ceiling,
      target: 0.3,
      meets: value / ceiling >= 0.3 && results[16].p99Ms < 50,
      details: { ...results, p99TargetMs: 50 },
    };
  } finally {
    await app.close();
  }
}
