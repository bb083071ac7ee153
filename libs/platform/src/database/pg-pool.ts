import { Pool, types } from 'pg';

// bigint positions and versions stay far below 2^53; read them as numbers, not strings.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export const PG_POOL = Symbol('PG_POOL');

/** How long Vigil waits on PostgreSQL before it gives up and answers 503 (API) or stalls and retries (worker). */
export interface DatabaseTimeouts {
  /** A new connection must be up within this. */
  connectMs: number;
  /** PostgreSQL cancels a statement that runs longer (statement_timeout). */
  statementMs: number;
  /** PostgreSQL cancels a statement that waits longer for a lock (lock_timeout). */
  lockMs: number;
  /** PostgreSQL ends a session idle inside a transaction longer than this, releasing its locks and the horizon. */
  idleInTransactionMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5_000,
  statementMs: 30_000,
  lockMs: 10_000,
  idleInTransactionMs: 60_000,
};

/**
 * The client's own deadline for an answer comes a little after the server's: statement_timeout cannot fire
 * when the server or the network between has gone silent, and a request must not hang on it.
 */
const clientDeadlineMs = (statementMs: number): number => statementMs + Math.min(5_000, statementMs);

/**
 * `auto` leaves PostgreSQL to choose between a named statement's generic plan and one planned for its values;
 * `force_generic_plan` is for the pool of statements that must run by the plan their specs EXPLAIN
 * (generic-plan-pool.ts), never for a pool that runs unnamed statements too.
 */
export type PlanCacheMode = 'auto' | 'force_generic_plan';

export function createPgPool(
  databaseUrl: string,
  max = 10,
  applicationName = 'vigil',
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
  planCacheMode: PlanCacheMode = 'auto',
): Pool {
  // Idle connections stay open (the pool is bounded by `max`): reaping a burst's connections 10 s later
  // (pg's default) stalled the event loop for 50-80 ms, and the next burst paid for new backends again.
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    application_name: applicationName,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    query_timeout: clientDeadlineMs(timeouts.statementMs),
    // A peer that vanished without a FIN is found by TCP keepalive instead of never.
    keepAlive: true,
    // No JIT: Vigil's statements read a few index pages, but the generic plans of named statements carry the
    // planner's guesses (hundreds of rows a branch), and past jit_above_cost PostgreSQL compiled them on every
    // run: a word search over 100,000 persons took 70-117 ms, about 100 of them JIT, and 2 ms without (README,
    // "Search"). Per connection, so it holds on every database, a test's copy of a template included.
    options: `-c jit=off -c plan_cache_mode=${planCacheMode}`,
  });
  // An idle client that loses its connection emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  return pool;
}
