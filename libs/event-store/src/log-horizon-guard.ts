import type { Pool } from 'pg';

/** The log holds transaction ids this cluster has not handed out yet. */
export class LogFromTheFutureError extends Error {
  override readonly name = 'LogFromTheFutureError';
}

/**
 * A logical restore (pg_dump into a younger cluster) keeps the old transaction ids of the events, which
 * may lie above the new cluster's counter. Readers gate on xmin, so they would wait for those events
 * until the counter caught up: the history would look empty. Refuse to start instead.
 */
export async function assertLogNotFromTheFuture(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ newest: string | null; next: string }>(
    `SELECT (SELECT e.transaction_id::text FROM events e ORDER BY e.transaction_id DESC LIMIT 1) AS newest,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next`,
  );
  const { newest, next } = rows[0];
  if (newest !== null && BigInt(newest) >= BigInt(next)) {
    throw new LogFromTheFutureError(
      `the event log holds transaction id ${newest} but this cluster is only at ${next}: ` +
        'the database looks logically restored (pg_dump) into another cluster; restore it from a physical backup instead',
    );
  }
}
