import type { Pool } from 'pg';
import { appendEvents, LogNotifier, START_OF_LOG, type RecordedEvent } from '@vigil/event-store';
import { createLogger } from '@vigil/platform';
import { ConsumerRunner, rebuildProjection, type Projection } from '@vigil/consumers';
import { createProjections } from '@vigil/projections';
import type { BenchContext, Summary } from './context';
import { median, percentile, round } from './stats';
import { incidentRow, insertSyntheticLog } from './synthetic-reports';

const EVENTS = Number(process.env.BENCH_PROJECTION_EVENTS ?? 100_000);
const RUNS = 3;
const LAG_SECONDS = 10;
const LAG_WARM_UP_SECONDS = 2;
const LAG_RATE = 200;
const logger = createLogger('bench', 'silent');

/**
 * Runs a runner until its checkpoint has reached the last event of the log; returns the seconds it took.
 * It compares the checkpoint with the head (one probe of the log's index), never counts the events between
 * them: a count grows with the log and would slow down the rebuild it measures.
 */
export async function catchUp(ctx: BenchContext, pool: Pool, projection: Projection): Promise<number> {
  const started = performance.now();
  const runner = new ConsumerRunner(pool, projection, {
    databaseUrl: ctx.databaseUrl,
    logger,
    batchSize: 2_000,
    pollIntervalMs: 50,
    lockIntervalMs: 50,
  });
  await runner.start();
  await untilCaughtUp(pool, [projection.name]);
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return seconds;
}

/** Waits until each named consumer is running with its checkpoint at the log's last event. */
export async function untilCaughtUp(pool: Pool, names: string[], pollMs = 20): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ behind: number }>(
      `SELECT count(*)::int AS behind FROM unnest($1::text[]) AS n(name)
         LEFT JOIN consumer_checkpoints c ON c.name = n.name
         LEFT JOIN LATERAL (SELECT transaction_id, position FROM events
                             ORDER BY transaction_id DESC, position DESC LIMIT 1) head ON true
        WHERE c.name IS NULL OR c.status <> 'running'
           OR (c.last_tx, c.last_position) < (head.transaction_id, head.position)`,
      [names],
    );
    if (rows[0].behind === 0) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The ceiling: the same rows, in the same order, in the same batch size, read with raw pg and nothing applied. */
async function rawRead(pool: Pool): Promise<number> {
  const started = performance.now();
  let checkpoint = START_OF_LOG;
  for (;;) {
    const { rows } = await pool.query<{ tx: string; position: number }>(
      `SELECT transaction_id::text AS tx, position, stream_id, version, type, schema_version, data, metadata, recorded_at FROM events
        WHERE (transaction_id, position) > ($1::xid8, $2) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, position LIMIT 2000`,
      [checkpoint.transactionId, checkpoint.position],
    );
    if (!rows.length) break;
    checkpoint = { transactionId: rows.at(-1)!.tx, position: rows.at(-1)!.position };
  }
  return (performance.now() - started) / 1000;
}

/** Append-commit to read-model-commit, for incidents appended at a steady rate while the runner follows. */
export async function catchUpLag(
  ctx: BenchContext,
  pool: Pool,
  seconds: number,
  named?: { persons: { id: string; name: string }[]; organizations: { id: string; name: string }[] },
): Promise<{ p50Ms: number; p99Ms: number; incidents: number }> {
  const { persons, organizations } = named ?? {
    persons: (await pool.query<{ id: string; name: string }>(`SELECT id, name FROM read_persons LIMIT 1000`)).rows,
    organizations: (await pool.query<{ id: string; name: string }>(`SELECT id, name FROM read_organizations LIMIT 100`))
      .rows,
  };
  const committed = new Map<string, number>();
  const applied = new Map<string, number>();
  const [incidents] = createProjections();
  const timed: Projection = {
    name: incidents.name,
    handles: incidents.handles,
    tables: incidents.tables,
    applyBatch: (events, tx) => incidents.applyBatch(events, tx),
    afterCommit: async (events: RecordedEvent[]) => {
      const now = performance.now();
      for (const event of events) applied.set((event.data as { incidentId: string }).incidentId, now);
    },
  };
  const runner = new ConsumerRunner(pool, timed, { databaseUrl: ctx.databaseUrl, logger, pollIntervalMs: 1_000 });
  await runner.start();
  const notifier = new LogNotifier(pool, (error) => logger.warn({ err: error }, 'NOTIFY failed'));
  const interval = 1000 / LAG_RATE;
  const started = performance.now();
  let sent = 0;
  while (sent < seconds * LAG_RATE) {
    const due = started + sent * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const row = incidentRow(persons, organizations, sent++);
    void appendEvents(pool, [
      {
        streamId: row.stream_id,
        expected: 'no_stream',
        events: [{ type: row.type, schemaVersion: 1, data: row.data }],
      },
    ]).then(() => {
      committed.set(row.data.incidentId, performance.now());
      notifier.notifyAppended();
    });
  }
  while (applied.size < committed.size || committed.size < sent)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await runner.stop();
  await notifier.drain();
  const lags = [...committed].map(([id, at]) => applied.get(id)! - at);
  return { p50Ms: round(percentile(lags, 50)), p99Ms: round(percentile(lags, 99)), incidents: lags.length };
}

export async function run(ctx: BenchContext): Promise<Summary> {
  const pool = ctx.pool(8);
  const events = await insertSyntheticLog(pool, EVENTS);
  ctx.print({ bench: 'projections', step: 'log written', events });

  const rates: Record<string, number[]> = {};
  const raw: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const warmup = run === 0;
    for (const projection of createProjections()) {
      await rebuildProjection(pool, projection);
      const seconds = await catchUp(ctx, pool, projection);
      if (!warmup) (rates[projection.name] ??= []).push(events / seconds);
    }
    const rawSeconds = await rawRead(pool);
    if (!warmup) raw.push(events / rawSeconds);
    ctx.print({ bench: 'projections', step: warmup ? 'warm-up' : `run ${run}` });
  }
  const perProjection = Object.fromEntries(
    Object.entries(rates).map(([name, values]) => [name, round(median(values))]),
  );
  const value = round(median(Object.values(perProjection)));
  const ceiling = round(median(raw));
  ctx.print({ bench: 'projections', rebuildEventsPerSec: perProjection, rawReadEventsPerSec: ceiling });

  // Like the rates: a short warm-up (the rebuilds leave autovacuum work behind), then the median of three runs.
  const lags: { p50Ms: number; p99Ms: number; incidents: number }[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const figures = await catchUpLag(ctx, pool, run === 0 ? LAG_WARM_UP_SECONDS : LAG_SECONDS);
    ctx.print({ bench: 'projections', run: run === 0 ? 'warm-up' : run, catchUpLag: figures, rate: LAG_RATE });
    if (run > 0) lags.push(figures);
  }
  const lag = {
    p50Ms: round(median(lags.map((l) => l.p50Ms))),
    p99Ms: round(median(lags.map((l) => l.p99Ms))),
    incidents: lags.reduce((sum, l) => sum + l.incidents, 0),
  };
  return {
    metric: 'rebuild events/s (median of the projections)',
    value,
    ceiling,
    target: 20_000,
    meets: value >= 20_000 && lag.p99Ms < 100,
    details: {
      events,
      perProjection,
      slowest: Math.min(...Object.values(perProjection)),
      catchUpLag: lag,
      lagTargetP99Ms: 100,
      incidentsPerSec: LAG_RATE,
    },
  };
}
