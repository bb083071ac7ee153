import type { Pool } from 'pg';
import { readEventsAfter, type Checkpoint, type LogBatch, type RecordedEvent } from '@vigil/event-store';
import { inTransaction, isDependencyUnavailable } from '@vigil/platform';
import type { Consumer } from './consumer';
import { advanceCheckpoint, countAttempt } from './consumer-checkpoints';

/** What one try at the next batch came to; the runner decides what follows (retry, backoff, stop). */
export type BatchOutcome =
  /** Nothing readable after the checkpoint yet. */
  | { kind: 'idle' }
  /** Applied and committed with the checkpoint, now at `checkpoint`. */
  | { kind: 'applied'; checkpoint: Checkpoint; handled: RecordedEvent[]; caughtUp: boolean }
  /** The checkpoint row moved under this runner (a rebuild, another runner): nothing of the batch was kept. */
  | { kind: 'moved' }
  /** Earlier tries at this batch never finished (their process died) this many times: not tried again. */
  | { kind: 'exhausted'; attempts: number; handled: RecordedEvent[] }
  /** The consumer threw; its writes were rolled back. `size` counts the batch's events, handled or not. */
  | { kind: 'failed'; attempts: number; handled: RecordedEvent[]; size: number; error: Error }
  /**
   * An infrastructure error (a timeout, a cut connection, a deadlock: isDependencyUnavailable) struck the
   * try, in the consumer or around it; nothing of the batch was kept. `counted`: a try was counted first,
   * which the runner gives back, since an outage says nothing about the events.
   */
  | { kind: 'unavailable'; counted: boolean; handled: RecordedEvent[]; error: Error };

/** Thrown inside the transaction to roll back a batch whose checkpoint could not be moved. */
class CheckpointMoved extends Error {}

type Failed = Extract<BatchOutcome, { kind: 'failed' }>;

/** Thrown inside the transaction to roll back a batch the consumer failed on. */
class ConsumerThrew extends Error {
  constructor(readonly outcome: Failed) {
    super('the consumer failed on its batch', { cause: outcome.error });
  }
}

/**
 * A full batch may end in the middle of an append (an incident and the registration of the person it
 * names). Leave that append's events for the next batch, so a consumer always sees an append whole,
 * unless the batch holds nothing else.
 */
function wholeTransactions(batch: LogBatch, batchSize: number): LogBatch {
  if (batch.events.length < batchSize) return batch;
  const lastTx = batch.events.at(-1)!.transactionId;
  const events = batch.events.filter((event) => event.transactionId !== lastTx);
  if (!events.length) return batch;
  const last = events.at(-1)!;
  return { events, checkpoint: { transactionId: last.transactionId, position: last.position } };
}

/**
 * One transaction: read the batch after `from` (the first statement, before the transaction draws an id
 * of its own that would hold the read horizon at itself), count the try durably on another connection,
 * apply, and move the checkpoint by compare-and-set. The writes and the checkpoint commit together or not at all.
 */
export async function applyNextBatch(
  pool: Pool,
  consumer: Consumer,
  from: Checkpoint,
  batchSize: number,
  maxAttempts: number,
): Promise<BatchOutcome> {
  let counted = false;
  let handled: RecordedEvent[] = [];
  try {
    return await inTransaction(pool, async (tx): Promise<BatchOutcome> => {
      const read = await readEventsAfter(tx, from, batchSize, consumer.readsData !== false);
      const batch = wholeTransactions(read, batchSize);
      if (batch.events.length === 0) return { kind: 'idle' };
      handled = batch.events.filter((event) => consumer.handles.includes(event.type));
      if (handled.length) {
        // Nothing is written on `tx` before applyBatch: an early return commits a transaction that only read.
        // Counted as soon as asked: a count that went through unseen is given back rather than kept.
        counted = true;
        const attempts = await countAttempt(pool, consumer.name, from);
        if (attempts === undefined) return { kind: 'moved' };
        // Tries that never finished (the process died applying them) count too: stop a crash loop here.
        if (attempts > maxAttempts) return { kind: 'exhausted', attempts, handled };
        try {
          await consumer.applyBatch(handled, tx);
        } catch (error) {
          throw new ConsumerThrew({
            kind: 'failed',
            attempts,
            handled,
            size: batch.events.length,
            error: error as Error,
          });
        }
      }
      const caughtUp = read.events.length < batchSize;
      if (!(await advanceCheckpoint(tx, consumer.name, from, batch.checkpoint, caughtUp))) throw new CheckpointMoved();
      return { kind: 'applied', checkpoint: batch.checkpoint, handled, caughtUp };
    });
  } catch (error) {
    if (error instanceof CheckpointMoved) return { kind: 'moved' };
    const cause = error instanceof ConsumerThrew ? error.outcome.error : error;
    if (isDependencyUnavailable(cause)) return { kind: 'unavailable', counted, handled, error: cause as Error };
    if (error instanceof ConsumerThrew) return error.outcome;
    throw error;
  }
}
