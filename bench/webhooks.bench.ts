import { createServer, type Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { signStandardWebhook } from '@vigil/delivery';
import { createLogger, Metrics } from '@vigil/platform';
import { createApiApp } from '../apps/api/src/api-app';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { benchConfig, BENCH_ADMIN_TOKEN, type BenchContext, type Summary } from './context';
import { median, percentile, round } from './stats';
import { subscribeWebhooks } from './webhook-subscribers';
import { measureScaleOut, RECEIVER_DELAY_MS, SCALE_OUT_TARGET } from './webhooks-scale-out';

const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 2_000);
const LATENCY_SECONDS = 10;
const LATENCY_WARM_UP_SECONDS = 3;
const LATENCY_RATE = 50;
const RUNS = 3;

interface Latency {
  p50Ms: number;
  p99Ms: number;
  alerts: number;
  reports: number;
  /** Reports the intake refused (their statuses): none on a quiet machine, 503s when it is overloaded. */
  refused: Record<string, number>;
  tries: number;
}

/** A receiver that answers 204 at once and notes when each webhook-id arrived. */
async function receiver(): Promise<{ url: string; arrivals: Map<string, number>; close: () => Promise<void> }> {
  const arrivals = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.set(String(request.headers['webhook-id']), performance.now());
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    arrivals,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Standard Webhooks POST, as a partner or the worker sends one. */
function postSigned(url: string, id: string, body: string, secret: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(id, timestamp, body, secret),
    },
  });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function run(ctx: BenchContext): Promise<Summary> {
  const pool = ctx.pool(8);
  const target = await receiver();
  const config = benchConfig(ctx, {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    RETRY_SCHEDULE: '1s,2s,5s',
    // Reports arrive at 50/s, the default limit: the bench measures alerts, not the limit.
    SOURCE_RATE_LIMIT: '1000000,1000000',
  });
  const logger = createLogger('bench', 'silent');
  const api = await createApiApp(config, logger, new Metrics(false));
  await api.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger, new Metrics(false)), {
    logger: false,
  });
  let closing: Promise<void> | undefined;
  const closeWorker = () => (closing ??= worker.close());
  const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  try {
    // Throughput: one incident watched by DELIVERIES webhook subscriptions to the same receiver.
    const rates: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const name = `Fictional Webhooked ${run}`;
      await subscribeWebhooks(base, admin, [target.url], name, DELIVERIES);
      target.arrivals.clear();
      const started = performance.now();
      const response = await fetch(`${base}/v1/admin/incidents`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          type: 'arrest',
          occurredOn: '2024-05-05',
          persons: [{ name }],
          source: { name: 'Bench Monitor', status: 'confirmed' },
        }),
      });
      if (response.status !== 201) throw new Error(`report refused: ${response.status}`);
      await until(() => target.arrivals.size >= DELIVERIES);
      const seconds = (performance.now() - started) / 1000;
      // Unsubscribe this run's watchers, so the next run's incident reaches only its own.
      await pool.query(`DELETE FROM subscriptions WHERE channel = 'webhook'`);

      // The ceiling: the same signed bodies posted straight to the receiver with fetch, as many at once as the worker's concurrency.
      const body = JSON.stringify({
        type: 'incident.recorded',
        timestamp: new Date().toISOString(),
        data: { incident: { id: 'x' }, matched: {} },
      });
      target.arrivals.clear();
      const rawStarted = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < DELIVERIES) {
            await postSigned(target.url, `raw-${next++}`, body, 'whsec_' + Buffer.alloc(32, 1).toString('base64')).then(
              (r) => r.arrayBuffer(),
            );
          }
        }),
      );
      const rawSeconds = (performance.now() - rawStarted) / 1000;
      ctx.print({
        bench: 'webhooks',
        run: run === 0 ? 'warm-up' : run,
        deliveriesPerSec: round(DELIVERIES / seconds),
        rawPerSec: round(DELIVERIES / rawSeconds),
      });
      if (run === 0) continue;
      rates.push(DELIVERIES / seconds);
      raw.push(DELIVERIES / rawSeconds);
    }

    // Latency: signed-report 201 to the receiver's request, at 50 reports/s, one subscription watching them all.
    await subscribeWebhooks(base, admin, [target.url], 'Fictional Latency Society', 1, 'organizations');
    const sourceResponse = await fetch(`${base}/v1/admin/sources`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Bench Monitor' }),
    });
    const source = (await sourceResponse.json()) as { id: string; secret: string };

    /** Signed reports at LATENCY_RATE for `seconds`; each alert's time from the report's 201 to the receiver. */
    async function endToEnd(run: number, seconds: number): Promise<Latency> {
      target.arrivals.clear();
      const accepted = new Map<string, number>();
      const refused: number[] = [];
      const begin = performance.now();
      const sends: Promise<void>[] = [];
      for (let i = 0; i < seconds * LATENCY_RATE; i++) {
        const wait = begin + (i * 1000) / LATENCY_RATE - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const body = JSON.stringify({
          externalId: `latency-${run}-${i}`,
          type: 'arrest',
          // A person of their own each, the watched organisation named beside them: one person's arrests on
          // one day are one incident, and every report about one person would wait for the one before it
          // (the match lock) and compare itself with all of them (docs/scaling.md, "One person, fifty reports
          // a second"). The alerts measured here are each report's own incident.recorded.
          occurredOn: '2024-06-06',
          persons: [{ name: `Fictional Latency ${run} ${i}` }],
          organizations: [{ name: 'Fictional Latency Society' }],
          source: { name: 'Bench Monitor', status: 'confirmed' },
        });
        sends.push(
          postSigned(`${base}/v1/webhooks/incidents/${source.id}`, `msg-${run}-${i}`, body, source.secret).then(
            async (r) => {
              const answer = (await r.json()) as { incidentId?: string; status?: number };
              if (r.status !== 201 || !answer.incidentId) refused.push(r.status);
              else accepted.set(answer.incidentId, performance.now());
            },
          ),
        );
      }
      await Promise.all(sends);
      // Each report must be an incident of its own, or one alert would stand for many reports' latencies.
      if (accepted.size + refused.length !== sends.length)
        throw new Error(`${sends.length - refused.length} reports made ${accepted.size} incidents`);
      const deliveries = async () =>
        (
          await pool.query<{ id: string; incident_id: string; attempts: number }>(
            `SELECT id, incident_id, attempts FROM deliveries WHERE incident_id = ANY($1::uuid[])`,
            [[...accepted.keys()]],
          )
        ).rows;
      // Routed and sent: a row for every report, and the receiver has seen every row.
      await until(async () => {
        if (target.arrivals.size < accepted.size) return false;
        const rows = await deliveries();
        return rows.length === accepted.size && rows.every((row) => target.arrivals.has(row.id));
      }, 60_000).catch(() => undefined);
      const rows = await deliveries();
      const latencies = rows
        .filter((row) => target.arrivals.has(row.id))
        .map((row) => target.arrivals.get(row.id)! - accepted.get(row.incident_id)!);
      return {
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        alerts: latencies.length,
        reports: accepted.size,
        refused: refused.reduce<Record<string, number>>((n, code) => ({ ...n, [code]: (n[code] ?? 0) + 1 }), {}),
        // More tries than alerts means some first tries failed, and the latency includes a retry's wait.
        tries: rows.reduce((sum, row) => sum + row.attempts, 0),
      };
    }

    // A short warm-up, then three runs; the figures are the medians (README, "Benchmarks").
    const latencyRuns: Latency[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const figures = await endToEnd(run, run === 0 ? LATENCY_WARM_UP_SECONDS : LATENCY_SECONDS);
      ctx.print({
        bench: 'webhooks',
        run: run === 0 ? 'warm-up' : run,
        endToEnd: figures,
        reportsPerSec: LATENCY_RATE,
      });
      if (run > 0) latencyRuns.push(figures);
    }
    const latency = {
      p50Ms: round(median(latencyRuns.map((r) => r.p50Ms))),
      p99Ms: round(median(latencyRuns.map((r) => r.p99Ms))),
      alerts: latencyRuns.reduce((sum, r) => sum + r.alerts, 0),
      reports: latencyRuns.reduce((sum, r) => sum + r.reports, 0),
      refused: latencyRuns.reduce((sum, r) => sum + Object.values(r.refused).reduce((a, b) => a + b, 0), 0),
      tries: latencyRuns.reduce((sum, r) => sum + r.tries, 0),
    };

    // Scale-out: the in-process worker goes, and worker processes take its place (one, then three).
    await closeWorker();
    const scaleOut = await measureScaleOut(ctx, config, pool, base, admin);

    const value = round(median(rates));
    const ceiling = round(median(raw));
    return {
      metric: 'webhook deliveries/s (one incident, many subscriptions)',
      value,
      ceiling,
      target: 0.5,
      meets: value / ceiling >= 0.5 && latency.p99Ms < 100 && !latency.refused && scaleOut.ratio >= SCALE_OUT_TARGET,
      details: {
        scaleOut: { ...scaleOut, receiverDelayMs: RECEIVER_DELAY_MS, target: SCALE_OUT_TARGET },
        deliveries: DELIVERIES,
        endToEnd: latency,
        endToEndTargetP99Ms: 100,
        workerConcurrency: 32,
        perEndpoint: 8,
      },
    };
  } finally {
    await closeWorker();
    await api.close();
    await target.close();
  }
}
