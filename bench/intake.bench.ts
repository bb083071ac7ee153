import { createLogger, Metrics } from '@vigil/platform';
import { createApiApp } from '../apps/api/src/api-app';
import { runHttpLoad, type HttpLoad } from './load/run-http-load';
import { benchConfig, BENCH_ADMIN_TOKEN, type BenchContext, type Summary } from './context';
import { MINIMAL_INTAKE_PATH, registerMinimalIntake } from './minimal-intake.route';
import { measured } from './process-cpu';
import { medianOfRuns, round } from './stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** One load of the generator against `url` (load/run-http-load.ts). */
export function load(
  url: string,
  connections: number,
  secret?: string,
  replay = false,
  knownNames?: string,
): Promise<HttpLoad> {
  return runHttpLoad({
    TARGET_URL: url,
    CONNECTIONS: String(connections),
    SECONDS: String(SECONDS),
    SOURCE_SECRET: secret ?? '',
    REPLAY: replay ? '1' : '',
    KNOWN_NAMES: knownNames ?? '',
  });
}

/**
 * Signed partner reports against the running API (signature, validation, name resolution and the append
 * together). The ceiling, measured in the same run from the same client, is a minimal intake on the same
 * server: the same signature check, then one INSERT of the raw body (minimal-intake.route.ts). For reference,
 * `details` keep GET /health/live of the same API, and one delivery re-sent over and over (the partner's retry:
 * signature, validation and one indexed read, nothing written). Each load but the last also counts its CPU per
 * request, in the API and in PostgreSQL, to say where a report's time goes.
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const config = benchConfig(ctx, {
    // The bench measures the intake itself, not the per-source limit.
    SOURCE_RATE_LIMIT: '1000000,1000000',
  });
  const app = await createApiApp(config, createLogger('bench-api', 'silent'), new Metrics(false));
  await app.init();
  await registerMinimalIntake(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const backends = ctx.pool(1);
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const created = await fetch(`${base}/v1/admin/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Monitor' }),
    });
    const source = (await created.json()) as { id: string; secret: string };
    const details: Record<string, Record<string, number>> = {};
    for (const clients of [1, 16]) {
      const figures = await medianOfRuns(async () => {
        const url = `${base}/v1/webhooks/incidents/${source.id}`;
        const intake = await measured(backends, () => load(url, clients, source.secret));
        const minimal = await measured(backends, () =>
          load(`${base}${MINIMAL_INTAKE_PATH}/${source.id}`, clients, source.secret),
        );
        const replayed = await measured(backends, () => load(url, clients, source.secret, true));
        const health = await load(`${base}/health/live`, clients);
        for (const [name, figures] of Object.entries({ intake, minimal, replayed })) {
          if (figures.non2xx || figures.errors)
            throw new Error(`${name} answered ${figures.non2xx} non-2xx and ${figures.errors} errors`);
        }
        return {
          intake: intake.perSecond,
          intakeP50: intake.p50Ms,
          intakeP99: intake.p99Ms,
          intakeApiCpuMs: intake.apiCpuMs,
          intakeDbCpuMs: intake.dbCpuMs,
          intakeStatements: intake.statements,
          intakeTransactions: intake.transactions,
          minimal: minimal.perSecond,
          minimalP50: minimal.p50Ms,
          minimalP99: minimal.p99Ms,
          minimalApiCpuMs: minimal.apiCpuMs,
          minimalDbCpuMs: minimal.dbCpuMs,
          minimalStatements: minimal.statements,
          minimalTransactions: minimal.transactions,
          replayed: replayed.perSecond,
          replayedP50: replayed.p50Ms,
          replayedP99: replayed.p99Ms,
          replayedApiCpuMs: replayed.apiCpuMs,
          replayedDbCpuMs: replayed.dbCpuMs,
          replayedStatements: replayed.statements,
          replayedTransactions: replayed.transactions,
          health: health.perSecond,
          healthP50: health.p50Ms,
          healthP99: health.p99Ms,
        };
      });
      ctx.print({ bench: 'intake', clients, ...figures });
      details[clients] = Object.fromEntries(Object.entries(figures).map(([key, figure]) => [key, round(figure)]));
    }
    const at16 = details[16];
    const value = round(at16.intake);
    const ceiling = round(at16.minimal);
    return {
      metric: 'signed reports/s at 16 clients (ceiling: signed raw-body INSERTs/s on the same server)',
      value,
      ceiling,
      target: 0.5,
      meets: value / ceiling >= 0.5 && at16.intakeP99 < 50,
      details: {
        ...details,
        p99TargetMs: 50,
        // GET /health/live, the first round's ceiling, kept for reference: what the server answers doing nothing.
        healthLiveRatio: round(value / at16.health),
        // What a re-sent delivery (no write) reaches of the minimal intake.
        replayedRatio: round(at16.replayed / ceiling),
      },
    };
  } finally {
    await app.close();
  }
}
