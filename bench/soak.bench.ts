import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy';
import type { TsChildProcess } from '../test/support/ts-child-process';
import type { WorkerProcess } from '../test/support/worker-process/spawn-worker-process';
import { benchConfig, BENCH_ADMIN_TOKEN, type BenchContext, type Summary } from './context';
import { injectFaults, sleep, type FaultActions } from './soak/faults';
import { startMailCatcher, type MailCatcher } from './soak/mail-catcher';
import { freePort, startPrivateRedis, type PrivateRedis } from '../test/support/private-redis';
import { rssMiB, startApiProcess, startWorkerProcess } from './soak/processes';
import { startReportLoad } from './soak/report-load';
import { tally } from './soak/tally';
import { confirmWatchers } from './soak/watchers';
import { round } from './stats';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** The measured run; a short run for trying the bench out: SOAK_MINUTES=2 SOAK_FAULT_EVERY_SECONDS=30. */
const MINUTES = env('SOAK_MINUTES', 10);
const FAULT_EVERY_SECONDS = env('SOAK_FAULT_EVERY_SECONDS', 60);
/** Load before the measured run (caches, JIT, pools): the RSS at its end is the "start" figure. */
const WARM_UP_SECONDS = env('SOAK_WARM_UP_SECONDS', 30);
const REPORTS_PER_SECOND = env('SOAK_RATE', 20);
const WATCHERS = env('SOAK_WATCHERS', 1_000);
/** Each report names one person watched by this many subscribers: 20 reports/s make 100 mails/s. */
const WATCHERS_PER_PERSON = env('SOAK_WATCHERS_PER_PERSON', 5);
/** How long, at most, deliveries may take to settle after the load ends. */
const SETTLE_SECONDS = env('SOAK_SETTLE_SECONDS', 240);

/** Short, so that every fault resolves within the run (the default's 5 h and 10 h would not). */
const RETRY_SCHEDULE = '1s,2s,5s,10s,30s';
const POSTGRES_CUT_MS = 10_000;
const REDIS_DOWN_MS = 5_000;
const SMTP_DOWN_MS = 20_000;
const RSS_GROWTH_LIMIT = 0.1;

/**
 * Ten minutes of signed reports through the partner webhook with 1,000 email watchers, the API and the
 * worker in real processes behind TCP proxies, and a fault every minute (PostgreSQL cut, Redis restarted
 * empty, worker SIGKILLed, SMTP down). Counts, per subscription and incident, the alerts that never
 * arrived and those that arrived more than once (README, "Faults survived").
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const pool = ctx.pool(4);
  const started: { catcher?: MailCatcher; redis?: PrivateRedis; proxies: TcpProxy[] } = { proxies: [] };
  let api: { process: TsChildProcess; base: string } | undefined;
  let worker: WorkerProcess | undefined;
  // The benchmark interrupted or crashed: no process of its own may outlive it.
  const killAll = () => {
    for (const pid of [api?.process.pid, worker?.pid, started.redis?.pid]) {
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  process.once('exit', killAll);
  try {
    const catcher = (started.catcher = await startMailCatcher());
    const redis = (started.redis = await startPrivateRedis());
    const postgresProxy = await startTcpProxy(ctx.databaseUrl);
    started.proxies.push(postgresProxy);
    const redisProxy = await startTcpProxy(redis.url);
    started.proxies.push(redisProxy);
    const config = benchConfig(
      {
        databaseUrl: postgresProxy.through(ctx.databaseUrl),
        redisUrl: redisProxy.through(redis.url),
        queuePrefix: ctx.queuePrefix,
      },
      {
        SMTP_URL: catcher.url,
        RETRY_SCHEDULE,
        PORT: String(await freePort()),
      },
    );
    [api, worker] = await Promise.all([
      startApiProcess(config, { TRUST_PROXY: '127.0.0.1', LOG_LEVEL: 'warn' }),
      startWorkerProcess(config),
    ]);
    const { base } = api;
    const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/v1/admin/sources`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Soak Monitor' }),
    });
    if (created.status !== 201) throw new Error(`source not created: ${created.status}`);
    const source = (await created.json()) as { id: string; secret: string };
    const watchers = await confirmWatchers(base, catcher, WATCHERS, WATCHERS_PER_PERSON);
    ctx.print({ bench: 'soak', watchers: WATCHERS, persons: watchers.byPerson.length });
    const firstAlertMail = catcher.mails.length;

    const runMs = MINUTES * 60_000;
    const loadStart = performance.now();
    const begin = loadStart + WARM_UP_SECONDS * 1_000;
    const load = startReportLoad({
      base,
      source,
      perSecond: REPORTS_PER_SECOND,
      from: loadStart,
      until: begin + runMs,
      persons: watchers.byPerson.length,
      personName: watchers.personName,
    });
    const { accepted } = load;

    await sleep(begin - performance.now());
    const rss = {
      api: { start: await rssMiB(api.process.pid), end: 0 },
      worker: { start: await rssMiB(worker.pid), end: 0 },
    };
    ctx.print({ bench: 'soak', phase: 'warmed up', reportsAccepted: accepted.size, rssMiB: rss });
    // Every 30 s: progress, and the RSS of both processes (the worker's is that of whichever worker runs now).
    const rssSamples: { atMs: number; api: number; worker: number }[] = [];
    const progress = setInterval(() => {
      void Promise.all([rssMiB(api!.process.pid), rssMiB(worker!.pid)])
        .then(([apiRss, workerRss]) => {
          const sample = { atMs: Math.round(performance.now() - begin), api: apiRss, worker: workerRss };
          rssSamples.push(sample);
          ctx.print({
            bench: 'soak',
            ...sample,
            reportsAccepted: accepted.size,
            mails: catcher.mails.length - firstAlertMail,
          });
        })
        .catch(() => undefined); // the worker may be between a SIGKILL and its restart
    }, 30_000);
    let workerRestarts = 0;
    const actions: FaultActions = {
      'postgres-cut': async () => {
        postgresProxy.cut();
        await sleep(POSTGRES_CUT_MS);
        postgresProxy.restore();
      },
      'redis-restarted-empty': async () => {
        await redis.kill();
        await sleep(REDIS_DOWN_MS);
        await redis.start();
      },
      'worker-sigkill': async () => {
        await worker!.kill('SIGKILL');
        worker = await startWorkerProcess(config);
        workerRestarts++;
      },
      'smtp-down': async () => {
        catcher.refusing = true;
        await sleep(SMTP_DOWN_MS);
        catcher.refusing = false;
      },
    };
    const faults = await injectFaults(begin, runMs, FAULT_EVERY_SECONDS * 1_000, actions, (fault) =>
      ctx.print({ bench: 'soak', fault }),
    );
    await load.done;
    clearInterval(progress);

    // Settle: every delivery row there and final, or the bound; then a little longer, for late duplicates.
    const alertsExpected = [...accepted.values()].reduce((sum, r) => sum + watchers.byPerson[r.person].length, 0);
    const settleStart = performance.now();
    let settled = false;
    while (performance.now() - settleStart < SETTLE_SECONDS * 1_000) {
      const { rows } = await pool.query<{ total: number; unfinished: number }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('pending', 'failed'))::int AS unfinished
           FROM deliveries WHERE channel = 'email'`,
      );
      if (rows[0].total >= alertsExpected && rows[0].unfinished === 0) {
        settled = true;
        break;
      }
      await sleep(1_000);
    }
    await sleep(5_000);
    const settleMs = Math.round(performance.now() - settleStart);
    rss.api.end = await rssMiB(api.process.pid);
    rss.worker.end = await rssMiB(worker.pid);

    const counted = await tally(pool, {
      mails: catcher.mails.slice(firstAlertMail),
      accepted,
      watchers: watchers.byPerson,
      faultWindows: faults.windows,
      begin,
    });
    const growth = (figures: { start: number; end: number }) => figures.end / figures.start - 1;
    const rssWithin = growth(rss.api) < RSS_GROWTH_LIMIT && growth(rss.worker) < RSS_GROWTH_LIMIT;
    const value = counted.lost + counted.duplicated;
    return {
      metric: 'alerts lost + alerts delivered twice, whole run',
      value,
      ceiling: null,
      target: 0,
      meets: value === 0 && rssWithin,
      details: {
        minutes: MINUTES,
        reportsPerSecond: REPORTS_PER_SECOND,
        watchers: WATCHERS,
        watchersPerPerson: WATCHERS_PER_PERSON,
        retrySchedule: RETRY_SCHEDULE,
        reportsAccepted: accepted.size,
        reportsGivenUp: load.givenUp(),
        answers: load.answers,
        alertsExpected,
        delivered: counted.delivered,
        duplicated: counted.duplicated,
        lost: counted.lost,
        lostBy: counted.lostBy,
        examples: counted.examples,
        unexpected: counted.unexpected,
        deliveryStatuses: counted.statuses,
        deliveryTries: counted.tries,
        consumers: counted.consumers,
        faults: faults.records.map((fault, i) => ({ ...fault, ...counted.byFault[i] })),
        p50LatencyMs: counted.p50LatencyMs,
        p99LatencyMs: counted.p99LatencyMs,
        latencyNote: "report's 2xx to the mail's arrival, alerts whose span overlaps no fault window",
        rssMiB: rss,
        rssNote: 'worker: start is the first worker, end the one alive at the end (restarted at each worker-sigkill)',
        rssSamples,
        rssGrowth: { api: round(growth(rss.api)), worker: round(growth(rss.worker)), limit: RSS_GROWTH_LIMIT },
        workerRestarts,
        settled,
        settleMs,
      },
    };
  } finally {
    killAll();
    process.off('exit', killAll);
    await Promise.allSettled([
      api?.process.kill('SIGKILL'),
      worker?.kill('SIGKILL'),
      started.redis?.kill(),
      ...started.proxies.map((proxy) => proxy.close()),
      started.catcher?.close(),
    ]);
  }
}
