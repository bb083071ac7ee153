import type { Pool } from 'pg';

/** How many events the log holds: a refusal's spec checks it did not move. */
export async function countEvents(pool: Pool): Promise<number> {
  return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
}
