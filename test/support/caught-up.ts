import type { Pool } from 'pg';
import { waitFor } from './wait-for';

interface Progress {
  at: string;
  status: string;
  lastError: string | null;
  /** Committed events after the checkpoint. */
  behind: number;
  /** Those of them a reader may read now: below the cluster's read horizon (docs/architecture.md). */
  readable: number;
}

async function progress(pool: Pool, name: string): Promise<Progress> {
  const { rows } = await pool.query<Progress>(
    `SELECT c.last_tx || '/' || c.last_position AS at, c.status, c.last_error AS "lastError",
            (SELECT count(*)::int FROM events e WHERE (e.transaction_id, e.position) > (c.last_tx, c.last_position)) AS behind,
            (SELECT count(*)::int FROM events e WHERE (e.transaction_id, e.position) > (c.last_tx, c.last_position)
                AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())) AS readable
       FROM (VALUES ($1)) AS n(name)
       LEFT JOIN LATERAL (SELECT coalesce(max(last_tx::text), '0')::xid8 AS last_tx,
                                 coalesce(max(last_position), 0) AS last_position,
                                 coalesce(max(status), 'running') AS status, max(last_error) AS last_error
                            FROM consumer_checkpoints WHERE name = n.name) c ON true`,
    [name],
  );
  return rows[0];
}

/** The oldest transaction in the whole cluster that holds an id: the one holding the read horizon back. */
async function horizonHolder(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ who: string }>(
    `SELECT format('pid %s in %s (%s, %s) for %s', pid, datname, application_name, state, now() - xact_start) AS who
       FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1`,
  );
  return rows[0]?.who ?? 'nobody';
}

/**
 * Waits until a consumer's checkpoint has passed every committed event, with status 'running'.
 *
 * The read horizon is the whole cluster's: a transaction held open in another database (another suite, another
 * test run on the same server) keeps committed events from every reader. So the runner is given `stallMs` to
 * move while it has events it may read, and is not blamed while it has none (up to `timeoutMs` in all); a
 * timeout names the transaction holding the horizon. A consumer that failed fails the wait at once.
 */
export async function waitUntilCaughtUp(
  pool: Pool,
  name: string,
  { stallMs = 10_000, timeoutMs = 45_000 } = {},
): Promise<void> {
  let last: Progress | undefined;
  let movedAt = Date.now();
  const verdict = await waitFor(
    async () => {
      const now = await progress(pool, name);
      if (now.status === 'failed') return `${name} failed at ${now.at}: ${now.lastError}`;
      if (now.behind === 0 && now.status === 'running') return 'caught up';
      if (now.at !== last?.at || now.status !== last.status || now.readable === 0) movedAt = Date.now();
      last = now;
      return (
        Date.now() - movedAt > stallMs &&
        `${name} did not move from ${now.at} in ${stallMs} ms with ${now.readable} events to read`
      );
    },
    { timeoutMs, what: `${name} to catch up` },
  ).catch(async (error: Error) => {
    const where = last ? `; at ${last.at}, ${last.behind} behind, ${last.readable} readable` : '';
    throw new Error(`${error.message}${where}; the horizon is held by ${await horizonHolder(pool)}`);
  });
  if (verdict !== 'caught up') throw new Error(verdict);
}
