import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import Redis from 'ioredis';
import type { VigilConfig } from '@vigil/platform';
import type { Pool } from 'pg';
import { backendPids, cpuSince } from './process-cpu';
import { WorkerProcess } from '../test/support/worker-process/spawn-worker-process';
import { startWorkerProcess } from './soak/processes';
import type { BenchContext } from './context';
import { median, round } from './stats';
import { subscribeWebhooks } from './webhook-subscribers';

/** Each receiver answers this long after the request: a partner's ordinary latency, not its CPU. */
export const RECEIVER_DELAY_MS = 50;
const RECEIVERS = 8;
const DELIVERIES = Number(process.env.BENCH_WEBHOOK_SCALE_DELIVERIES ?? 3_000);
const RUNS = 3;
export const SCALE_OUT_TARGET = 2.5;

interface SlowReceivers {
  urls: string[];
  arrived(): number;
  reset(): void;
  close(): Promise<void>;
}

/** RECEIVERS endpoints (one per port, so each has its own per-endpoint limit) answering 204 after RECEIVER_DELAY_MS. */
async function slowReceivers(): Promise<SlowReceivers> {
  const ids = new Set<string>();
  const servers: Server[] = [];
  for (let i = 0; i < RECEIVERS; i++) {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        setTimeout(() => {
          ids.add(String(request.headers['webhook-id']));
          response.writeHead(204).end();
        }, RECEIVER_DELAY_MS);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    urls: servers.map((server) => `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`),
    arrived: () => ids.size,
    reset: () => ids.clear(),
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** The pid of the Redis server behind `url`, as it reports it. */
async function redisServerPid(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
  } finally {
    redis.disconnect();
  }
}

/** The CPU of a fan-out's processes, in ms: where a delivery's cost goes, not only how much it is. */
interface FanOutCpu {
  total: number;
  workers: number;
  postgres: number;
  redis: number;
  /** This process: the API that took the report, and the receivers. */
  apiAndReceivers: number;
}

/**
 * The CPU every process of a fan-out spends from now until the returned function is called, in ms: the
 * workers, this process (the API that took the report and the receivers), this database's PostgreSQL backends
 * and the Redis server (which other users of a shared server add to).
 */
async function cpuOfAll(
  pool: Pool,
  workers: readonly WorkerProcess[],
  redisPid: number,
): Promise<() => Promise<FanOutCpu>> {
  const workerPids = workers.map((w) => w.pid);
  const backends = await cpuSince(() => backendPids(pool));
  const others = await cpuSince(() => [...workerPids, redisPid]);
  const self = process.cpuUsage();
  return async () => {
    const own = process.cpuUsage(self);
    const cpu = {
      workers: workerPids.reduce((sum, pid) => sum + others.of(pid), 0),
      postgres: await backends.total(),
      redis: others.of(redisPid),
      apiAndReceivers: (own.user + own.system) / 1000,
    };
    return { total: cpu.workers + cpu.postgres + cpu.redis + cpu.apiAndReceivers, ...cpu };
  };
}

async function until(condition: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Webhook deliveries/s to receivers that answer after 50 ms, with one worker process and with three (real
 * workers in child processes, on the same database and queues): the deliveries of one incident watched by
 * DELIVERIES subscriptions spread over RECEIVERS endpoints. A worker's webhook concurrency, not the CPU, is
 * what a slow receiver uses up, so three workers should come close to three times the rate, as long as the
 * machine has the CPU for it: each run also sums the CPU of every process taking part, and the cores divided
 * by the CPU a delivery costs is the most this machine could deliver however many workers ran
 * (`machineCeilingPerSec`, from the three workers' runs).
 */
export async function measureScaleOut(
  ctx: BenchContext,
  config: VigilConfig,
  pool: Pool,
  base: string,
  adminHeaders: Record<string, string>,
): Promise<{
  oneWorker: number;
  threeWorkers: number;
  ratio: number;
  cpuMsPerDelivery: { oneWorker: number; threeWorkers: number };
  cores: number;
  machineCeilingPerSec: number;
  threeWorkersOfMachineCeiling: number;
}> {
  const receivers = await slowReceivers();
  const redisPid = await redisServerPid(config.redisUrl);
  const rates: Record<1 | 3, number[]> = { 1: [], 3: [] };
  const cpuMs: Record<1 | 3, number[]> = { 1: [], 3: [] };
  try {
    for (const processes of [1, 3] as const) {
      const workers = await Promise.all(Array.from({ length: processes }, () => startWorkerProcess(config)));
      try {
        for (let run = 0; run <= RUNS; run++) {
          const name = `Fictional Scaled ${processes} ${run}`;
          await subscribeWebhooks(base, adminHeaders, receivers.urls, name, DELIVERIES);
          receivers.reset();
          const cpu = await cpuOfAll(pool, workers, redisPid);
          const started = performance.now();
          const response = await fetch(`${base}/v1/admin/incidents`, {
            method: 'POST',
            headers: adminHeaders,
            body: JSON.stringify({
              type: 'arrest',
              occurredOn: '2024-07-07',
              persons: [{ name }],
              source: { name: 'Bench Monitor', status: 'confirmed' },
            }),
          });
          if (response.status !== 201) throw new Error(`report refused: ${response.status}`);
          await until(() => receivers.arrived() >= DELIVERIES);
          const perSecond = DELIVERIES / ((performance.now() - started) / 1000);
          const spent = await cpu();
          const cpuMsPerDelivery = spent.total / DELIVERIES;
          await pool.query(`DELETE FROM subscriptions WHERE channel = 'webhook'`);
          ctx.print({
            bench: 'webhooks',
            scaleOut: `${processes} worker process${processes > 1 ? 'es' : ''}`,
            run: run === 0 ? 'warm-up' : run,
            deliveriesPerSec: round(perSecond),
            cpuMsPerDelivery: round(cpuMsPerDelivery),
            // Per delivery, by process: which of them a cheaper delivery would have to come from.
            cpuMsPerDeliveryOf: Object.fromEntries(
              (['workers', 'postgres', 'redis', 'apiAndReceivers'] as const).map((k) => [
                k,
                round(spent[k] / DELIVERIES),
              ]),
            ),
          });
          if (run > 0) {
            rates[processes].push(perSecond);
            cpuMs[processes].push(cpuMsPerDelivery);
          }
        }
      } finally {
        await Promise.all(workers.map((worker) => worker.kill('SIGTERM')));
      }
    }
  } finally {
    await WorkerProcess.reapAll();
    await receivers.close();
  }
  const oneWorker = round(median(rates[1]));
  const threeWorkers = round(median(rates[3]));
  const cores = availableParallelism();
  const machineCeilingPerSec = round((cores * 1000) / median(cpuMs[3]));
  return {
    oneWorker,
    threeWorkers,
    ratio: round(threeWorkers / oneWorker),
    cpuMsPerDelivery: { oneWorker: round(median(cpuMs[1])), threeWorkers: round(median(cpuMs[3])) },
    cores,
    machineCeilingPerSec,
    threeWorkersOfMachineCeiling: round(threeWorkers / machineCeilingPerSec),
  };
}
