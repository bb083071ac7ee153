import type { Pool } from 'pg';
import { LogListener, type Checkpoint, type RecordedEvent } from '@vigil/event-store';
import type { Logger } from '@vigil/platform';
import type { Consumer } from './consumer';
import { applyNextBatch } from './consumer-batch';
import { finishRebuild, loadCheckpoint, recordFailure, type CheckpointRow } from './consumer-checkpoints';
import { ConsumerLock } from './consumer-lock';

export interface ConsumerRunnerOptions {
  databaseUrl: string;
  logger: Logger;
  batchSize?: number;
  /** Tries at one batch before the consumer stops with status 'failed'. */
  maxAttempts?: number;
  /** First retry delay; doubled on each further try, up to 10 s. */
  backoffMs?: number;
  /** How the runner waits out a retry delay: a timer, unless a test records the delays instead. */
  delay?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  lockIntervalMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Names the event in a failure message when the batch held one handled event. */
const where = (handled: RecordedEvent[]): string =>
  handled.length === 1 ? `event ${handled[0].position} (${handled[0].type}): ` : '';

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
      const outcome = await this.applyNext(this.row, batchSize);
      if (outcome === 'idle') {
        this.isolating = 0;
        return;
      }
      if (outcome === 'more' && this.isolating > 0) this.isolating--;
    }
  }

  /** One try at the next batch (consumer-batch.ts), and what follows from how it went. */
  private async applyNext(row: CheckpointRow, batchSize: number): Promise<'idle' | 'more' | 'retry'> {
    const outcome = await applyNextBatch(this.pool, this.consumer, row.checkpoint, batchSize, this.maxAttempts);
    switch (outcome.kind) {
      case 'idle':
        if (row.status === 'rebuilding') {
          await finishRebuild(this.pool, this.consumer.name, row.checkpoint);
          this.row = undefined;
        }
        return 'idle';
      case 'moved':
        // A rebuild or another runner moved the row: read it again.
        this.row = undefined;
        return 'retry';
      case 'exhausted':
        await recordFailure(
          this.pool,
          this.consumer.name,
          row.checkpoint,
          `${where(outcome.handled)}gave up after ${outcome.attempts - 1} tries that never finished`,
          true,
        );
        this.row = undefined;
        return 'retry';
      case 'failed':
        // Retry one event at a time, so the consumer applies what it can and stops at the event that fails.
        this.isolating = Math.max(this.isolating, outcome.size);
        await this.failed(row.checkpoint, outcome.attempts, outcome.error, where(outcome.handled));
        return 'retry';
      case 'applied':
        this.row = {
          ...row,
          checkpoint: outcome.checkpoint,
          attempts: 0,
          lastError: null,
          status: row.status === 'rebuilding' && outcome.caughtUp ? 'running' : row.status,
        };
        if (outcome.handled.length) await this.consumer.afterCommit?.(outcome.handled);
        return outcome.caughtUp ? 'idle' : 'more';
    }
  }

  private get maxAttempts(): number {
    return this.options.maxAttempts ?? 5;
  }

  private async failed(at: Checkpoint, attempts: number, error: Error, place: string): Promise<void> {
    const maxAttempts = this.maxAttempts;
    const stop = attempts >= maxAttempts;
    this.options.logger.error(
      { consumer: this.consumer.name, attempts, maxAttempts, err: error },
      stop ? 'consumer failed; stopped at this batch' : 'consumer batch failed; retrying',
    );
    await recordFailure(this.pool, this.consumer.name, at, `${place}${error.name}: ${error.message}`, stop);
    this.row = undefined;
    if (!stop)
      await (this.options.delay ?? sleep)(Math.min((this.options.backoffMs ?? 100) * 2 ** (attempts - 1), 10_000));
  }
}
