import type { Pool } from 'pg';
import { LOG_CHANNEL } from '@vigil/event-store';
import type { Projection } from './consumer';

/**
 * Empties the projection's tables and sends its checkpoint back to the start of the log, in one
 * transaction; its runner (in a worker) then catches up in short batches and sets it 'running' again.
 * A batch in flight on the old checkpoint fails its compare-and-set and rolls back.
 */
export async function rebuildProjection(pool: Pool, projection: Projection): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${projection.tables.map((table) => `"${table}"`).join(', ')}`);
    await client.query(
      `INSERT INTO consumer_checkpoints (name, status) VALUES ($1, 'rebuilding')
       ON CONFLICT (name) DO UPDATE SET last_tx = '0', last_position = 0, status = 'rebuilding', attempts = 0,
                                        last_error = NULL, updated_at = now()`,
      [projection.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  // Wake the runner now rather than at its next poll.
  await pool.query(`SELECT pg_notify('${LOG_CHANNEL}', '')`);
}
