import { loadavg } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { rebuildProjection } from '@vigil/consumers';
import { ALERT_ROUTER } from '@vigil/alerts';
import { createLogger, Metrics, type VigilConfig } from '@vigil/platform';
import { createProjections } from '@vigil/projections';
import { createApiApp } from '../apps/api/src/api-app';
import { WorkerProcess } from '../test/support/worker-process/spawn-worker-process';
import { benchConfig, BENCH_ADMIN_TOKEN, type BenchContext, type Summary } from './context';
import { countingSmtpServer } from './counting-smtp-server';
import { load } from './intake.bench';
import { measured } from './process-cpu';
import { catchUp, catchUpLag, untilCaughtUp } from './projections.bench';
import { rawMailSeconds } from './raw-mail-ceiling';
import { measureAdminReads, type AdminReadFigures } from './scale/admin-reads';
import { routeOneReport, insertSubscriptions, type RoutingFigures } from './scale/routing';
import { ScaleLog } from './scale/scale-log';
import { median, medianOfRuns, round } from './stats';

/**
 * `--size`: the grown log's events (a million); the young log has a tenth, and the subscriptions and the busy
 * person's incidents scale with it. `--runs`: timed runs of each rebuild and lag. Read when the bench runs
 * (run.ts turns the options into BENCH_* after the modules are loaded).
 */
const settings = () => {
  const size = Number(process.env.BENCH_SIZE ?? 1_000_000);
  const scale = size / 1_000_000;
  return {
    size,
    runs: Number(process.env.BENCH_RUNS ?? 3),
    subscribers: Math.round(100_000 * scale),
    personWatchers: Math.round(10_000 * scale),
    busyIncidents: Math.round(1_000 * scale),
  };
};
let SIZE = 0;
let RUNS = 3;
let SUBSCRIBERS = 0;
let PERSON_WATCHERS = 0;
let BUSY_INCIDENTS = 0;
const LAG_SECONDS = 10;

interface PhaseFigures {
  events: number;
  buildSeconds: number;
  rebuildEventsPerSec: Record<string, number>;
  catchUpLagP99Ms: number;
  intakeP99Ms: number;
  intakePerSec: number;
  intakeRefused: Record<string, number>;
  intakeNewShare: number;
  adminReads: AdminReadFigures;
  consumersCatchUpSeconds: number;
  personRouting: RoutingFigures;
  organizationRouting: RoutingFigures;
  rawMailsPerSec: number;
  loadAverage: { atStart: number; atEnd: number };
}

/** Per projection: rebuild events/s, and the CPU each event cost this process and the database's backends (µs). */
export interface RebuildFigures {
  eventsPerSec: Record<string, number>;
  nodeCpuUsPerEvent: Record<string, number>;
  dbCpuUsPerEvent: Record<string, number>;
}

/**
 * Each projection emptied and caught up from the start by a runner, `RUNS` times after a warm-up if asked (median of
 * the runs). The CPU per event moves less with the machine's load than the rate (bench/process-cpu.ts).
 */
export async function rebuildRates(
  ctx: BenchContext,
  pool: Pool,
  warmUp: boolean,
  projections = createProjections(),
  runs = RUNS,
): Promise<RebuildFigures> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  const events = rows[0].n;
  // Asks for the backends' CPU on a connection of its own: the one asking is left out of the sum.
  const probe = ctx.pool(1);
  const samples: Record<keyof RebuildFigures, Record<string, number[]>> = {
    eventsPerSec: {},
    nodeCpuUsPerEvent: {},
    dbCpuUsPerEvent: {},
  };
  for (let run = warmUp ? 0 : 1; run <= runs; run++) {
    for (const projection of projections) {
      await rebuildProjection(pool, projection);
      const figures = await measured(probe, async () => ({
        total: events,
        seconds: await catchUp(ctx, pool, projection),
      }));
      if (run === 0) continue;
      (samples.eventsPerSec[projection.name] ??= []).push(events / figures.seconds);
      (samples.nodeCpuUsPerEvent[projection.name] ??= []).push(figures.apiCpuMs * 1000);
      (samples.dbCpuUsPerEvent[projection.name] ??= []).push(figures.dbCpuMs * 1000);
    }
    ctx.print({ bench: ctx.name, events, step: run === 0 ? 'rebuild warm-up' : `rebuild run ${run}` });
  }
  const medians = (byName: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(byName).map(([name, values]) => [name, round(median(values))]));
  return {
    eventsPerSec: medians(samples.eventsPerSec),
    nodeCpuUsPerEvent: medians(samples.nodeCpuUsPerEvent),
    dbCpuUsPerEvent: medians(samples.dbCpuUsPerEvent),
  };
}

/** The intake's p99 at 16 clients (reports naming the log's persons), then the admin reads, on one API. */
async function measureApi(
  config: VigilConfig,
  log: ScaleLog,
): Promise<{
  intakeP99Ms: number;
  intakePerSec: number;
  intakeRefused: Record<string, number>;
  /** Of the reports answered 2xx, the share answered 201 (a new incident) rather than 200 (one already recorded). */
  intakeNewShare: number;
  adminReads: AdminReadFigures;
}> {
  const app = await createApiApp(config, createLogger('bench-api', 'silent'), new Metrics(false));
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const created = await fetch(`${base}/v1/admin/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Scale Monitor ${log.events}` }),
    });
    const source = (await created.json()) as { id: string; secret: string };
    const names = join(mkdtempSync(join(tmpdir(), 'vigil-scale-')), 'names.json');
    writeFileSync(
      names,
      JSON.stringify({
        persons: log.persons.filter((_, i) => i % 7 === 0).map((p) => p.name),
        organizations: log.organizations.map((o) => o.name),
      }),
    );
    // A report refused is a finding, not a reason to lose the run: counted, by status, in the details.
    const refused: Record<string, number> = {};
    const answered = { new: 0, known: 0 };
    const intake = await medianOfRuns(async (warmUp) => {
      const figures = await load(`${base}/v1/webhooks/incidents/${source.id}`, 16, source.secret, false, names);
      for (const [code, count] of Object.entries(figures.statusCodes ?? {})) {
        if (!code.startsWith('2')) refused[code] = (refused[code] ?? 0) + count;
        else if (!warmUp) answered[code === '201' ? 'new' : 'known'] += count;
      }
      if (figures.errors) refused.connectionErrors = (refused.connectionErrors ?? 0) + figures.errors;
      return { p99Ms: figures.p99Ms, perSecond: figures.perSecond };
    });
    const page = Math.min(100, Math.floor(log.incidents / 50) - 1);
    const adminReads = await measureAdminReads(base, BENCH_ADMIN_TOKEN, log.busyPerson.id, page);
    return {
      intakeP99Ms: round(intake.p99Ms),
      intakePerSec: round(intake.perSecond),
      intakeRefused: refused,
      intakeNewShare: round(answered.new / Math.max(1, answered.new + answered.known)),
      adminReads,
    };
  } finally {
    await app.close();
  }
}

/** Starts the real worker in its own process, lets every consumer catch up, routes both reports, stops it. */
async function measureRouting(
  pool: Pool,
  config: VigilConfig,
  smtp: Awaited<ReturnType<typeof countingSmtpServer>>,
  log: ScaleLog,
  subscribe: boolean,
): Promise<{ consumersCatchUpSeconds: number; personRouting: RoutingFigures; organizationRouting: RoutingFigures }> {
  const worker = WorkerProcess.spawn(config);
  try {
    await worker.started(120_000);
    const started = performance.now();
    await untilCaughtUp(pool, [...createProjections().map((p) => p.name), ALERT_ROUTER], 200);
    const consumersCatchUpSeconds = round((performance.now() - started) / 1000);
    if (subscribe) await insertSubscriptions(pool, config, log, SUBSCRIBERS, PERSON_WATCHERS);
    const personRouting = await routeOneReport(pool, config, smtp, worker.pid, log, log.watchedPerson, PERSON_WATCHERS);
    const organizationRouting = await routeOneReport(
      pool,
      config,
      smtp,
      worker.pid,
      log,
      log.memberOfWatched,
      SUBSCRIBERS,
    );
    return {
      consumersCatchUpSeconds,
      personRouting: rounded(personRouting),
      organizationRouting: rounded(organizationRouting),
    };
  } finally {
    await worker.kill('SIGTERM');
  }
}

const rounded = <T extends object>(figures: T): T =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])) as T;

/**
 * Every projection's tables vacuumed, as autovacuum would have done after the catch-ups that rewrote them: this
 * machine's server runs without it. Unvacuumed, the first read of each row after a rebuild pays for what VACUUM
 * does (its hint bits, the visibility map): the word search's first pass over its 132 words, at a million events,
 * took 75 ms at p99 against 23 vacuumed (docs/scaling.md, "The admin reads after a rebuild").
 */
async function vacuumReadModels(pool: Pool): Promise<number> {
  const started = performance.now();
  const tables = createProjections().flatMap((projection) => projection.tables);
  await pool.query(`VACUUM (ANALYZE) ${tables.map((table) => `"${table}"`).join(', ')}`);
  return round((performance.now() - started) / 1000);
}

/**
 * A checkpoint before the intake is timed, in both phases: the grown log's build, rebuilds and vacuum write
 * gigabytes of WAL, so PostgreSQL is checkpointing, started by the WAL's volume, when the intake begins, and the
 * young log's much less. A deployment serves reports long after such writing; the intake is timed as it would be
 * then (docs/scaling.md, "One million events at 3500901").
 */
async function checkpoint(pool: Pool): Promise<number> {
  const started = performance.now();
  await pool.query('CHECKPOINT');
  return round((performance.now() - started) / 1000);
}

async function measurePhase(
  ctx: BenchContext,
  pool: Pool,
  config: VigilConfig,
  smtp: Awaited<ReturnType<typeof countingSmtpServer>>,
  log: ScaleLog,
  events: number,
  young: boolean,
): Promise<PhaseFigures> {
  const atStart = loadavg()[0];
  const buildSeconds = round(await log.growTo(pool, events));
  ctx.print({ bench: 'scale', step: 'log grown', events: log.events, buildSeconds });
  const rebuildEventsPerSec = (await rebuildRates(ctx, pool, young)).eventsPerSec;
  ctx.print({ bench: 'scale', events: log.events, rebuildEventsPerSec });

  const lags: number[] = [];
  const named = { persons: log.persons.slice(0, 1_000), organizations: log.organizations.slice(0, 100) };
  for (let run = 0; run <= RUNS; run++) {
    const figures = await catchUpLag(ctx, pool, run === 0 ? 2 : LAG_SECONDS, named);
    if (run > 0) lags.push(figures.p99Ms);
  }
  const catchUpLagP99Ms = round(median(lags));
  ctx.print({ bench: 'scale', events: log.events, catchUpLagP99Ms });

  const vacuumSeconds = await vacuumReadModels(pool);
  ctx.print({ bench: 'scale', step: 'read models vacuumed', events: log.events, vacuumSeconds });
  ctx.print({ bench: 'scale', step: 'checkpoint', events: log.events, checkpointSeconds: await checkpoint(pool) });
  const api = await measureApi(config, log);
  ctx.print({ bench: 'scale', events: log.events, ...api });
  const routing = await measureRouting(pool, config, smtp, log, young);
  ctx.print({ bench: 'scale', events: log.events, ...routing });
  // The ceiling's rate, from 5,000 mails: it does not depend on the log, and 100,000 would take minutes more.
  const rawMails = Math.min(SUBSCRIBERS, 5_000);
  const rawMailsPerSec = round(rawMails / (await rawMailSeconds(smtp, config.mailFrom, rawMails)));
  return {
    events: log.events,
    buildSeconds,
    rebuildEventsPerSec,
    catchUpLagP99Ms,
    ...api,
    ...routing,
    rawMailsPerSec,
    loadAverage: { atStart: round(atStart), atEnd: round(loadavg()[0]) },
  };
}

/**
 * How the costs grow with the log: the same figures on a young log (a tenth of `--size`) and on the grown one
 * (the same log, grown to `--size` through the store's append), in one run. See docs/scaling.md.
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  ({
    size: SIZE,
    runs: RUNS,
    subscribers: SUBSCRIBERS,
    personWatchers: PERSON_WATCHERS,
    busyIncidents: BUSY_INCIDENTS,
  } = settings());
  const pool = ctx.pool(8);
  const smtp = await countingSmtpServer();
  const config = benchConfig(ctx, {
    SMTP_URL: smtp.url,
    RETRY_SCHEDULE: '1s,2s,5s',
    SOURCE_RATE_LIMIT: '1000000,1000000',
  });
  try {
    const log = new ScaleLog(BUSY_INCIDENTS);
    const young = await measurePhase(ctx, pool, config, smtp, log, SIZE / 10, true);
    ctx.print({ bench: 'scale', young });
    const grown = await measurePhase(ctx, pool, config, smtp, log, SIZE, false);
    ctx.print({ bench: 'scale', grown });
    return summarise(young, grown);
  } finally {
    await smtp.close();
  }
}

function summarise(young: PhaseFigures, grown: PhaseFigures): Summary {
  const rebuildRatios = Object.fromEntries(
    Object.keys(young.rebuildEventsPerSec).map((name) => [
      name,
      round(grown.rebuildEventsPerSec[name] / young.rebuildEventsPerSec[name]),
    ]),
  );
  const value = Math.min(...Object.values(rebuildRatios));
  const intakeRatio = round(grown.intakeP99Ms / young.intakeP99Ms);
  const mailRatio = (phase: PhaseFigures, routing: RoutingFigures) => round(routing.mailsPerSec / phase.rawMailsPerSec);
  const checks = {
    rebuild: value >= 0.8,
    intakeP99: intakeRatio <= 1.5,
    catchUpLag: young.catchUpLagP99Ms < 100 && grown.catchUpLagP99Ms < 100,
    routing: grown.organizationRouting.routingSeconds < 3,
    workerRss: Math.max(young.organizationRouting.workerRssPeakMiB, grown.organizationRouting.workerRssPeakMiB) < 512,
    mails: [young, grown].every(
      (p) => mailRatio(p, p.personRouting) >= 0.5 && mailRatio(p, p.organizationRouting) >= 0.5,
    ),
    adminReads: [
      grown.adminReads.busyPersonP99Ms,
      grown.adminReads.page100P99Ms,
      grown.adminReads.wordSearchP99Ms,
    ].every((ms) => ms < 20),
  };
  const both = <K extends keyof PhaseFigures>(key: K) => ({ young: young[key], grown: grown[key] });
  return {
    metric: 'lowest over the projections of rebuild events/s on the grown log ÷ on the young one',
    value,
    ceiling: null,
    target: 0.8,
    meets: Object.values(checks).every(Boolean),
    details: {
      events: both('events'),
      buildSeconds: both('buildSeconds'),
      rebuildEventsPerSec: { ...both('rebuildEventsPerSec'), ratio: rebuildRatios, target: '>= 0.8' },
      intakeP99At16Ms: { ...both('intakeP99Ms'), ratio: intakeRatio, target: '<= 1.5' },
      intakePerSecAt16: both('intakePerSec'),
      intakeRefused: both('intakeRefused'),
      intakeNewShare: both('intakeNewShare'),
      catchUpLagP99Ms: { ...both('catchUpLagP99Ms'), incidentsPerSec: 200, target: '< 100' },
      consumersCatchUpSeconds: both('consumersCatchUpSeconds'),
      routingPersonWatchers: {
        ...both('personRouting'),
        mailRatio: { young: mailRatio(young, young.personRouting), grown: mailRatio(grown, grown.personRouting) },
      },
      routingOrganizationWatchers: {
        ...both('organizationRouting'),
        mailRatio: {
          young: mailRatio(young, young.organizationRouting),
          grown: mailRatio(grown, grown.organizationRouting),
        },
      },
      routingTargets: { routingSeconds: '< 3 (100,000 watchers)', workerRssPeakMiB: '< 512', mailRatio: '>= 0.5' },
      rawMailsPerSec: both('rawMailsPerSec'),
      adminReadsP99Ms: { ...both('adminReads'), target: '< 20 each' },
      loadAverage: both('loadAverage'),
      checks,
      note: 'one routing run per phase (a 100,000-mail fan-out takes minutes); rebuilds and lags: median of the runs',
    },
  };
}
