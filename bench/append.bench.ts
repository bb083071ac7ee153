import type { Pool } from 'pg';
import { appendEvents, StreamVersionConflictError } from '@vigil/event-store';
import type { BenchContext, Summary } from './context';
import { drive, medianOfRuns, round } from './stats';

// Per writer count: a warm-up round + 5 timed rounds, each round one window per configuration:
// about 11 s per configuration, a little over a minute in all. Five short rounds rather than three
// long ones: the median then shrugs off a burst of load from other processes on this shared machine.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const RUNS = 5;
const WARMUP_SECONDS = 1;
const POOL_SIZE = 8;

const event = (i: number) => ({
  type: 'ReportReceived',
  schemaVersion: 1,
  data: { reportId: `r-${i}`, text: 'A detention was reported near the market this morning.' },
  metadata: { correlationId: `c-${i}`, actor: 'bench' },
});

// Same columns, identity, constraint, index and xid8 default as `events` (CreateEventStore migration),
// without the append-only triggers, which fire on UPDATE, DELETE and TRUNCATE only and so cost an insert nothing.
const RAW_TABLE = [
  `CREATE TABLE raw_events (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id text NOT NULL, version bigint NOT NULL, type text NOT NULL, schema_version integer NOT NULL,
    data jsonb NOT NULL, metadata jsonb NOT NULL DEFAULT '{}', recorded_at timestamptz NOT NULL DEFAULT now(),
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT raw_events_stream_version UNIQUE (stream_id, version))`,
  `CREATE INDEX raw_events_transaction_position ON raw_events (transaction_id, position)`,
];

// The ceiling is one autocommit single-row INSERT, not BEGIN/INSERT/COMMIT: an append is one autocommit
// statement (one round trip, one implicit transaction), so three round trips would flatter the store.
// Parameters go through the same unnamed extended-protocol query as appendEvents.
const RAW_INSERT = `INSERT INTO raw_events (stream_id, version, type, schema_version, data, metadata)
  VALUES ($1, $2, $3, $4, $5, $6)`;

type Run = { perSecond: number; p50Ms: number; p99Ms: number; ops: number; retries: number };
type Measure = (ctx: BenchContext, writers: number, seconds: number) => Promise<Run>;

let runNo = 0;

/**
 * Every run starts from empty tables, so store and raw insert into indexes of the same size: a database
 * made anew (the event log refuses TRUNCATE), with the raw table beside the log.
 */
async function fresh(ctx: BenchContext): Promise<{ pool: Pool; tag: string }> {
  await ctx.recreateDatabase();
  const pool = ctx.pool(POOL_SIZE);
  for (const sql of RAW_TABLE) await pool.query(sql);
  return { pool, tag: `run${++runNo}` };
}

const storeDistinct: Measure = async (ctx, writers, seconds) => {
  const { pool, tag } = await fresh(ctx);
  const figures = await drive(writers, seconds, async (i) => {
    await appendEvents(pool, [{ streamId: `${tag}-${i}`, expected: 'no_stream', events: [event(i)] }]);
  });
  return { ...figures, retries: 0 };
};

const rawDistinct: Measure = async (ctx, writers, seconds) => {
  const { pool, tag } = await fresh(ctx);
  const figures = await drive(writers, seconds, async (i) => {
    const e = event(i);
    await pool.query(RAW_INSERT, [`${tag}-${i}`, 1, e.type, e.schemaVersion, e.data, e.metadata]);
  });
  return { ...figures, retries: 0 };
};

/**
 * All writers append to one stream with an expected version. A writer that loses the race learns the
 * head from the conflict's `actual` and retries; latency counts from the first attempt to success.
 * Today each conflict also costs a reconnect: appendEvents uses pool.query, and pg-pool discards any
 * client whose query failed, so this figure is mostly connection set-up (see the bench report).
 */
const storeHot: Measure = async (ctx, writers, seconds) => {
  const { pool, tag } = await fresh(ctx);
  const stream = `${tag}-hot`;
  const known = new Array<number>(writers).fill(0); // each writer's last seen head
  let retries = 0;
  const figures = await drive(writers, seconds, async (i, me) => {
    for (;;) {
      try {
        const result = await appendEvents(pool, [{ streamId: stream, expected: known[me], events: [event(i)] }]);
        known[me] = result.streams[0].version;
        return;
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError)) throw error;
        known[me] = error.actual;
        retries++;
      }
    }
  });
  return { ...figures, retries };
};

const CONFIGS: { key: string; label: string; measure: Measure }[] = [
  { key: 'storeDistinct', label: 'store, distinct streams', measure: storeDistinct },
  { key: 'rawDistinct', label: 'raw pg insert, distinct streams (ceiling)', measure: rawDistinct },
  { key: 'storeHot', label: 'store, one hot stream, expected-version retries', measure: storeHot },
];

/** One round: every configuration once, back to back, so load from elsewhere hits store and raw alike. */
async function oneRound(ctx: BenchContext, writers: number, seconds: number): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const { key, measure } of CONFIGS) {
    const run = await measure(ctx, writers, seconds);
    for (const [name, value] of Object.entries(run)) figures[`${key}.${name}`] = value;
  }
  return figures;
}

export async function run(ctx: BenchContext): Promise<Summary> {
  const details: Record<string, Record<string, number>> = {};
  for (const writers of [1, 8]) {
    const m = await medianOfRuns((warmup) => oneRound(ctx, writers, warmup ? WARMUP_SECONDS : SECONDS), {
      runs: RUNS,
    });
    for (const { key, label } of CONFIGS) {
      const figures = {
        appendsPerSec: round(m[`${key}.perSecond`]),
        p50Ms: round(m[`${key}.p50Ms`]),
        p99Ms: round(m[`${key}.p99Ms`]),
        ...(key === 'storeHot' ? { retries: m[`${key}.retries`] } : {}),
      };
      details[`${key}${writers}`] = figures;
      ctx.print({ bench: ctx.name, config: label, writers, seconds: SECONDS, runs: RUNS, ...figures });
    }
  }
  return {
    metric: 'appends/s at 8 writers, distinct streams',
    value: details.storeDistinct8.appendsPerSec,
    ceiling: details.rawDistinct8.appendsPerSec,
    target: 0.5,
    details,
  };
}
