import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { Queue } from 'bullmq';
import { ALERT_ROUTER, QUEUE_NAMES } from '@vigil/alerts';
import { appendEvents, wakeLogReaders } from '@vigil/event-store';
import { createProjections } from '@vigil/projections';
import { redisConnectionOptions } from '../libs/alerts/src/redis-connection-options';
import { WorkerProcess } from '../test/support/worker-process/spawn-worker-process';
import { benchConfig, type BenchContext, type Summary } from './context';
import { countingSmtpServer } from './counting-smtp-server';
import { backendPids, cpuSince } from './process-cpu';
import { untilCaughtUp } from './projections.bench';
import { insertSubscriptions, probeRouter, routedJobIds } from './scale/routing';
import { recorded, ScaleLog } from './scale/scale-log';
import { median, round } from './stats';

/**
 * `--watchers`: email subscriptions watching one organisation (100,000, issue 16's fan-out). `--runs`: reports
 * routed, one after the other. `--events`: the young log under them.
 */
const settings = () => ({
  watchers: Number(process.env.BENCH_WATCHERS ?? 100_000),
  runs: Number(process.env.BENCH_RUNS ?? 3),
  events: Number(process.env.BENCH_EVENTS ?? 10_000),
});

interface RunFigures {
  /** Append to the last delivery row written and every job of the rows queued. */
  routingSeconds: number;
  /** CPU of every backend of the bench's database in that time: the router's, the projections', the bench's probes. */
  dbCpuSeconds: number;
  /** CPU of the backend that ran the routing statement (its transaction: the log read, facts, rows, payload). */
  routerBackendCpuSeconds: number;
}

/**
 * Only the routing of issue 16's fan-out, as the scale bench times it (bench/scale/routing.ts) but without the
 * sending: a report about a member of an organisation that `--watchers` email subscriptions watch, on a young
 * log, timed from its append to the last of its delivery rows written and their page jobs queued. The mail
 * queue is paused, so no mail is sent while the router works (nor after: the bench's prefix is dropped).
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const { watchers, runs, events } = settings();
  const pool = ctx.pool(4);
  const probe = ctx.pool(1);
  const smtp = await countingSmtpServer();
  const config = benchConfig(ctx, {
    SMTP_URL: smtp.url,
  });
  const queue = new Queue(QUEUE_NAMES.email, {
    connection: redisConnectionOptions(config.redisUrl),
    prefix: config.queuePrefix,
  });
  try {
    const log = new ScaleLog(0);
    await log.growTo(pool, events);
    await insertSubscriptions(pool, config, log, watchers, 0);
    // The tables it filled only, as autovacuum would: an empty `deliveries` analysed is planned as empty, its probe
    // of earlier alerts a scan, which a later fan-out then pays for every subscription (docs/scaling.md, "Routing
    // 100,000 deliveries (issue 16)").
    await pool.query('ANALYZE subscriptions, subscription_watches');
    // Paused, the queue keeps its jobs waiting: the worker sends nothing while the router works.
    await queue.pause();
    ctx.print({ bench: ctx.name, step: 'ready', events: log.events, watchers });
    const worker = WorkerProcess.spawn(config);
    const figures: RunFigures[] = [];
    const loadAverage = { atStart: round(loadavg()[0]), atEnd: 0 };
    try {
      await worker.started(120_000);
      await untilCaughtUp(pool, [...createProjections().map((p) => p.name), ALERT_ROUTER], 100);
      for (let i = 0; i < runs; i++) {
        const run = await routeOnce(pool, probe, queue, log, watchers);
        ctx.print({ bench: ctx.name, run: i + 1, ...run, loadAverage: round(loadavg()[0]) });
        figures.push(run);
        await untilCaughtUp(pool, [...createProjections().map((p) => p.name), ALERT_ROUTER], 100);
      }
    } finally {
      loadAverage.atEnd = round(loadavg()[0]);
      await worker.kill('SIGTERM');
    }
    const medianOf = (key: keyof RunFigures) => round(median(figures.map((f) => f[key])));
    const value = medianOf('routingSeconds');
    return {
      metric: `seconds from a report to the last of its ${watchers} delivery rows written and their jobs queued (median of ${runs})`,
      value,
      ceiling: null,
      target: 3,
      meets: value < 3,
      details: {
        watchers,
        events: log.events,
        runs: figures.map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round(v)]))),
        dbCpuSeconds: medianOf('dbCpuSeconds'),
        routerBackendCpuSeconds: medianOf('routerBackendCpuSeconds'),
        loadAverage,
        target: '< 3 s',
      },
    };
  } finally {
    await queue.close();
    await smtp.close();
  }
}

/**
 * One report about the watched organisation's member, followed until its rows (probeRouter) and their jobs, in the
 * queue the worker does not take from, are all there.
 */
async function routeOnce(pool: Pool, probe: Pool, queue: Queue, log: ScaleLog, expected: number): Promise<RunFigures> {
  const jobsQueued = async () =>
    Object.values(await queue.getJobCounts('waiting', 'delayed', 'prioritized')).reduce((a, n) => a + n, 0);
  const queuedBefore = await jobsQueued();
  const cpu = await cpuSince(() => backendPids(probe));
  const incidentId = randomUUID();
  const started = performance.now();
  const appended = await appendEvents(pool, [
    recorded(log.incidents, incidentId, [log.memberOfWatched], log.organizations[0]),
  ]);
  await wakeLogReaders(pool);
  let router: number | undefined;
  const deadline = started + 300_000;
  const wait = () => {
    if (performance.now() > deadline) throw new Error(`the ${expected} deliveries were not routed in 5 minutes`);
    return new Promise((resolve) => setTimeout(resolve, 10));
  };
  for (;;) {
    const { routed, routerPid } = await probeRouter(probe, appended);
    router ??= routerPid ?? undefined;
    if (routed) break;
    await wait();
  }
  const jobIds = await routedJobIds(probe, incidentId, expected);
  while ((await jobsQueued()) - queuedBefore < jobIds.length) await wait();
  const routingSeconds = (performance.now() - started) / 1000;
  const routerCpu = router === undefined ? NaN : cpu.of(router);
  return { routingSeconds, dbCpuSeconds: (await cpu.total()) / 1000, routerBackendCpuSeconds: routerCpu / 1000 };
}
