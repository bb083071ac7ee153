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
async function load(url: string, connections: number, secret?: string, replay = false): Promise<Load> {
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
        REPLAY: replay ? '1' : '',
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/**
 * Signed partner reports against the running API (signature, validation, name resolution and the append
 * together), with GET /health/live of the same API as the ceiling, from the same client. A third figure,
 * one delivery re-sent over and over (the partner's retry: signature, validation and one indexed read,
 * nothing written), shows what the request path alone reaches of that ceiling on this machine.
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const config = loadConfig({
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.queuePrefix,
    ADMIN_TOKEN,
    // The bench measures the intake itself, not the per-source limit.
    SOURCE_RATE_LIMIT: '1000000,1000000',
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
        const url = `${base}/v1/webhooks/incidents/${source.id}`;
        const intake = await load(url, clients, source.secret);
        const replayed = await load(url, clients, source.secret, true);
        const ceiling = await load(`${base}/health/live`, clients);
        for (const [name, figures] of Object.entries({ intake, replayed })) {
          if (figures.non2xx || figures.errors)
            throw new Error(`${name} answered ${figures.non2xx} non-2xx and ${figures.errors} errors`);
        }
        return {
          replayed: replayed.perSecond,
          replayedP50: replayed.p50Ms,
          replayedP99: replayed.p99Ms,
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
      results[`replayed${clients}`] = {
        perSecond: figures.replayed,
        p50Ms: figures.replayedP50,
        p99Ms: figures.replayedP99,
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
      // What a re-sent delivery (no write) reaches of the ceiling: the most any new report could.
      details: { ...results, p99TargetMs: 50, replayedRatio: round(results.replayed16.perSecond / ceiling) },
    };
  } finally {
    await app.close();
  }
}
