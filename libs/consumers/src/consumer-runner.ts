import type { Pool, PoolClient } from 'pg';
import { LogListener, readEventsAfter, type Checkpoint, type LogBatch } from '@vigil/event-store';
import type { Logger } from '@vigil/platform';
import type { Consumer } from './consumer';
import {
  advanceCheckpoint,
  countAttempt,
  loadCheckpoint,
  recordFailure,
  type CheckpointRow,
} from './consumer-checkpoints';
import { ConsumerLock } from './consumer-lock';

export interface ConsumerRunnerOptions {
  databaseUrl: string;
  logger: Logger;
  batchSize?: number;
  /** Tries at one batch before the consumer stops with status 'failed'. */
  maxAttempts?: number;
  /** First retry delay; doubled on each further try. */
  backoffMs?: number;
  pollIntervalMs?: number;
  lockIntervalMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * Runs one consumer: elected by its lock, woken by NOTIFY or the timer, it reads a batch after its
 * checkpoint (the first statement of the transaction), applies it, and moves the checkpoint by
 * compare-and-set in the same transaction. A consumer that keeps failing on a batch stops there with
 * status 'failed'; the other consumers have runners of their own and go on.
 */
export class ConsumerRunner {
  private readonly lock: ConsumerLock;
  private readonly listener: LogListener;
  private row?: CheckpointRow;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Events still to apply one by one after a failed batch. */
  private isolating = 0;

  constructor(
    private readonly pool: Pool,
    readonly consumer: Consumer,
    private readonly options: ConsumerRunnerOptions,
  ) {
    const log = options.logger.child({ consumer: consumer.name });
    this.lock = new ConsumerLock(consumer.name, {
      databaseUrl: options.databaseUrl,
      intervalMs: options.lockIntervalMs,
      onChange: (leader) => {
        log.info({ leader }, leader ? 'took the consumer lock' : 'lost the consumer lock');
        this.row = undefined;
        if (leader) this.wake();
      },
      onError: (error) => log.warn({ err: error.message }, 'consumer lock connection failed'),
    });
    this.listener = new LogListener(
      {
        databaseUrl: options.databaseUrl,
        pollIntervalMs: options.pollIntervalMs,
        onError: (error) => log.warn({ err: error.message }, 'LISTEN connection lost; polling until it is back'),
      },
      () => this.wake(),
    );
  }

  get isLeader(): boolean {
    return this.lock.isLeader;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.lock.start();
    await this.listener.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener.stop();
    await this.running;
    await this.lock.stop();
  }

  /** Runs a drain now (or right after the current one): NOTIFY, the timer, a rebuild request. */
  wake(): void {
    if (this.stopped || !this.lock.isLeader) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: Error) =>
        this.options.logger.error({ consumer: this.consumer.name, err: error }, 'consumer loop error'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    // Read the row at every wake-up: a rebuild may have reset it while this runner was idle.
    this.row = undefined;
    while (!this.stopped && this.lock.isLeader) {
      this.row ??= await loadCheckpoint(this.pool, this.consumer.name);
      if (this.row.status === 'failed') {
        this.row = undefined; // read again at the next wake: a rebuild may have reset it
        return;
      }
      // An unfinished earlier try (this runner's, or one whose process died) means one event at a time.
      const batchSize = this.isolating > 0 || this.row.attempts > 0 ? 1 : (this.options.batchSize ?? 1_000);
      const outcome = await this.applyNextBatch(this.row, batchSize);
      if (outcome === 'idle') {
        this.isolating = 0;
        return;
      }
      if (outcome === 'more' && this.isolating > 0) this.isolating--;
    }
  }

  /** One transaction: read, apply, move the checkpoint. */
  private async applyNextBatch(row: CheckpointRow, batchSize: number): Promise<'idle' | 'more' | 'retry'> {
    const client = await this.pool.connect();
    let open = false;
    try {
      await client.query('BEGIN');
      open = true;
      const read = await readEventsAfter(client, row.checkpoint, batchSize, this.consumer.readsData !== false);
      const batch = wholeTransactions(read, batchSize);
      if (batch.events.length === 0) {
        await client.query('ROLLBACK');
        open = false;
        if (row.status === 'rebuilding') await this.finishRebuild(row.checkpoint);
        return 'idle';
      }
      const handled = batch.events.filter((event) => this.consumer.handles.includes(event.type));
      const attempts = handled.length ? await countAttempt(this.pool, this.consumer.name, row.checkpoint) : 0;
      if (attempts === undefined) {
        open = false;
        return this.lostCheckpoint(client);
      }
      // Tries that never finished (the process died applying them) count too: stop a crash loop here.
      if (attempts > (this.options.maxAttempts ?? 5)) {
        await client.query('ROLLBACK');
        open = false;
        const at = handled.length === 1 ? `event ${handled[0].position} (${handled[0].type}): ` : '';
        await recordFailure(
          this.pool,
          this.consumer.name,
          row.checkpoint,
          `${at}gave up after ${attempts - 1} tries that never finished`,
          true,
        );
        this.row = undefined;
        return 'retry';
      }

      try {
        if (handled.length) await this.consumer.applyBatch(handled, client);
      } catch (error) {
        await client.query('ROLLBACK');
        open = false;
        // Retry one event at a time, so the consumer applies what it can and stops at the event that fails.
        this.isolating = Math.max(this.isolating, batch.events.length);
        const at = handled.length === 1 ? `event ${handled[0].position} (${handled[0].type}): ` : '';
        await this.failed(row.checkpoint, attempts, error as Error, at);
        return 'retry';
      }
      const caughtUp = read.events.length < batchSize;
      if (!(await advanceCheckpoint(client, this.consumer.name, row.checkpoint, batch.checkpoint, caughtUp))) {
        open = false;
        return this.lostCheckpoint(client);
      }
      await client.query('COMMIT');
      open = false;
      this.row = {
        ...row,
        checkpoint: batch.checkpoint,
        attempts: 0,
        lastError: null,
        status: row.status === 'rebuilding' && caughtUp ? 'running' : row.status,
      };
      if (handled.length) await this.consumer.afterCommit?.(handled);
      return caughtUp ? 'idle' : 'more';
    } finally {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** The row moved under us (a rebuild, or another runner): undo everything and read it again. */
  private async lostCheckpoint(client: PoolClient): Promise<'retry'> {
    await client.query('ROLLBACK');
    this.row = undefined;
    return 'retry';
  }

  private async finishRebuild(at: Checkpoint): Promise<void> {
    await this.pool.query(
      `UPDATE consumer_checkpoints SET status = 'running', updated_at = now()
        WHERE name = $1 AND status = 'rebuilding' AND last_tx = $2::xid8 AND last_position = $3`,
      [this.consumer.name, at.transactionId, at.position],
    );
    this.row = undefined;
  }

  private async failed(at: Checkpoint, attempts: number, error: Error, where: string): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const stop = attempts >= maxAttempts;
    this.options.logger.error(
      { consumer: this.consumer.name, attempts, maxAttempts, err: error },
      stop ? 'consumer failed; stopped at this batch' : 'consumer batch failed; retrying',
    );
    await recordFailure(this.pool, this.consumer.name, at, `${where}${error.name}: ${error.message}`, stop);
    this.row = undefined;
    if (!stop) await sleep(Math.min((this.options.backoffMs ?? 100) * 2 ** (attempts - 1), 10_000));
  }
}
