import type { Pool, PoolClient } from 'pg';
import type { Checkpoint } from '@vigil/event-store';

/**
 * `stalled`: the last try met an infrastructure error and the runner retries by itself; `failed`: the
 * consumer threw on an event on every try and waits for a resume (or a rebuild) once the fix is deployed.
 */
export type ConsumerStatus = 'running' | 'stalled' | 'failed' | 'rebuilding';

export interface CheckpointRow {
  name: string;
  checkpoint: Checkpoint;
  status: ConsumerStatus;
  attempts: number;
  lastError: string | null;
}

type Db = Pool | PoolClient;

interface Row {
  name: string;
  last_tx: string;
  last_position: number;
  status: ConsumerStatus;
  attempts: number;
  last_error: string | null;
}

const toRow = (row: Row): CheckpointRow => ({
  name: row.name,
  checkpoint: { transactionId: row.last_tx, position: row.last_position },
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
});

const COLUMNS = 'name, last_tx::text AS last_tx, last_position, status, attempts, last_error';

/** The checkpoint row of a consumer, created at the start of the log the first time it is asked for. */
export async function loadCheckpoint(db: Db, name: string): Promise<CheckpointRow> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM consumer_checkpoints WHERE name = $1`, [name]);
  if (rows.length) return toRow(rows[0]);
  await db.query('INSERT INTO consumer_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
  return loadCheckpoint(db, name);
}

export async function loadCheckpoints(db: Db): Promise<CheckpointRow[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM consumer_checkpoints ORDER BY name`);
  return rows.map(toRow);
}

/**
 * A text that changes whenever the read models of the consumers named by `names` (an SQL expression of a
 * `text[]`) may have changed: their checkpoints, statuses and the time each row was last written. A consumer writes
 * its tables only in the transaction that moves its checkpoint (advanceCheckpoint), and a rebuild empties them in
 * the one that sends it back to the start (restartFromTheStart), so an answer read from those tables holds as long
 * as this text is the same. `updated_at` is in it because a rebuild passes the same checkpoints again, possibly with
 * other rows (a fixed projection): the time of each write tells the second pass from the first.
 */
export const readModelsStampSql = (names: string): string =>
  `(SELECT string_agg(c.name || '@' || c.last_tx || '/' || c.last_position || '/' || c.status || '/' || c.updated_at,
                      ' ' ORDER BY c.name)
      FROM consumer_checkpoints c WHERE c.name = ANY(${names}))`;

/** readModelsStampSql of these consumers, now. */
export async function readModelsStamp(db: Db, names: readonly string[]): Promise<string | null> {
  const { rows } = await db.query<{ stamp: string | null }>(`SELECT ${readModelsStampSql('$1::text[]')} AS stamp`, [
    names,
  ]);
  return rows[0].stamp;
}

/**
 * Moves the checkpoint from `from` to `to` only if it is still at `from` (compare-and-set): a runner
 * that lost its lock without knowing finds the row moved, and its whole transaction is rolled back.
 */
export async function advanceCheckpoint(
  tx: PoolClient,
  name: string,
  from: Checkpoint,
  to: Checkpoint,
  caughtUp: boolean,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE consumer_checkpoints
        SET last_tx = $4::xid8, last_position = $5, attempts = 0, last_error = NULL, updated_at = now(),
            status = CASE WHEN status = 'rebuilding' AND NOT $6 THEN 'rebuilding' ELSE 'running' END
      WHERE name = $1 AND last_tx = $2::xid8 AND last_position = $3 AND status <> 'failed'`,
    [name, from.transactionId, from.position, to.transactionId, to.position, caughtUp],
  );
  return rowCount === 1;
}

/** Counts one more try at the batch after `at`, durably and before it is applied. Returns the count. */
export async function countAttempt(db: Db, name: string, at: Checkpoint): Promise<number | undefined> {
  const { rows } = await db.query<{ attempts: number }>(
    `UPDATE consumer_checkpoints SET attempts = attempts + 1, updated_at = now()
      WHERE name = $1 AND last_tx = $2::xid8 AND last_position = $3 RETURNING attempts`,
    [name, at.transactionId, at.position],
  );
  return rows[0]?.attempts;
}

/** Sends the checkpoint back to the start of the log with status 'rebuilding' (in the rebuild's transaction). */
export async function restartFromTheStart(tx: PoolClient, name: string): Promise<void> {
  await tx.query(
    `INSERT INTO consumer_checkpoints (name, status) VALUES ($1, 'rebuilding')
     ON CONFLICT (name) DO UPDATE SET last_tx = '0', last_position = 0, status = 'rebuilding', attempts = 0,
                                      last_error = NULL, updated_at = now()`,
    [name],
  );
}

/** A rebuilding consumer that found nothing more to read is running again, if its checkpoint is still at `at`. */
export async function finishRebuild(db: Db, name: string, at: Checkpoint): Promise<void> {
  await db.query(
    `UPDATE consumer_checkpoints SET status = 'running', updated_at = now()
      WHERE name = $1 AND status = 'rebuilding' AND last_tx = $2::xid8 AND last_position = $3`,
    [name, at.transactionId, at.position],
  );
}

export async function recordFailure(
  db: Db,
  name: string,
  at: Checkpoint,
  error: string,
  failed: boolean,
): Promise<void> {
  await db.query(
    `UPDATE consumer_checkpoints
        SET last_error = $4, updated_at = now(),
            status = CASE WHEN $5 THEN 'failed' WHEN status = 'stalled' THEN 'running' ELSE status END
      WHERE name = $1 AND last_tx = $2::xid8 AND last_position = $3 AND status <> 'failed'`,
    [name, at.transactionId, at.position, error.slice(0, 2000), failed],
  );
}

/**
 * The try at the batch after `at` met an infrastructure error: it gives its counted attempt back (an outage
 * says nothing about the events), and a running consumer shows `stalled` with the error until a batch
 * commits. A rebuilding one stays `rebuilding`, with the error.
 */
export async function recordStall(db: Db, name: string, at: Checkpoint, error: string, tried: boolean): Promise<void> {
  await db.query(
    `UPDATE consumer_checkpoints
        SET last_error = $4, updated_at = now(),
            attempts = CASE WHEN $5 THEN greatest(attempts - 1, 0) ELSE attempts END,
            status = CASE WHEN status = 'running' THEN 'stalled' ELSE status END
      WHERE name = $1 AND last_tx = $2::xid8 AND last_position = $3 AND status <> 'failed'`,
    [name, at.transactionId, at.position, error.slice(0, 2000), tried],
  );
}

/**
 * Sends a failed consumer back to work at its checkpoint, with fresh tries. False if it was not failed
 * (or does not exist): resuming is only for a consumer that stopped.
 */
export async function resumeFailed(db: Db, name: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE consumer_checkpoints SET status = 'running', attempts = 0, last_error = NULL, updated_at = now()
      WHERE name = $1 AND status = 'failed'`,
    [name],
  );
  return rowCount === 1;
}
