import { Pool, types } from 'pg';

// bigint positions and versions stay far below 2^53; read them as numbers, not strings.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export const PG_POOL = Symbol('PG_POOL');

export function createPgPool(databaseUrl: string, max = 10, applicationName = 'vigil'): Pool {
  // Idle connections stay open (the pool is bounded by `max`): reaping a burst's connections 10 s later
  // (pg's default) stalled the event loop for 50-80 ms, and the next burst paid for new backends again.
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    application_name: applicationName,
    idleTimeoutMillis: 0,
  });
  // An idle client that loses its connection emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  return pool;
}
