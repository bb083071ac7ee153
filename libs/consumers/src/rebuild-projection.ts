import type { Pool } from 'pg';
import { wakeLogReaders } from '@vigil/event-store';
import { inTransaction } from '@vigil/platform';
import type { Projection } from './consumer';
import { restartFromTheStart } from './consumer-checkpoints';

/**
 * Empties the projection's tables and sends its checkpoint back to the start of the log, in one
 * transaction; its runner (in a worker) then catches up in short batches and sets it 'running' again.
 * A batch in flight on the old checkpoint fails its compare-and-set and rolls back.
 */
export async function rebuildProjection(pool: Pool, projection: Projection): Promise<void> {
  await inTransaction(pool, async (tx) => {
    await tx.query(`TRUNCATE ${projection.tables.map((table) => `"${table}"`).join(', ')}`);
    await restartFromTheStart(tx, projection.name);
  });
  // Wake the runner now rather than at its next poll.
  await wakeLogReaders(pool);
}
