import type { Pool } from 'pg';
import { wakeLogReaders } from '@vigil/event-store';
import { resumeFailed } from './consumer-checkpoints';

/**
 * Sends a `failed` consumer back to work at the event it stopped on, with fresh tries, once the fix for that
 * event is deployed; its runner (in a worker) picks it up at once. The only way back for the alert router,
 * which cannot be rebuilt. False if the consumer was not failed.
 */
export async function resumeConsumer(pool: Pool, name: string): Promise<boolean> {
  if (!(await resumeFailed(pool, name))) return false;
  // Wake the runner now rather than at its next poll.
  await wakeLogReaders(pool);
  return true;
}
