import type { Pool } from 'pg';
import { LogListener, type Checkpoint, type RecordedEvent } from '@vigil/event-store';
import { isDependencyUnavailable, type ErrorReporter, type Logger } from '@vigil/platform';
import type { Consumer, Projection } from './consumer';
import { applyNextBatch } from './consumer-batch';
import { finishRebuild, loadCheckpoint, recordFailure, recordStall, type CheckpointRow } from './consumer-checkpoints';
import { ConsumerLock } from './consumer-lock';
import { analyseOutgrownTables } from './table-statistics';

export interface ConsumerRunnerOptions {
  databaseUrl: string;
  logger: Logger;
  /** Where infrastructure errors and lost connections are reported (logged once per burst, counted). */
  errors?: ErrorReporter;
  batchSize?: number;
  /** Tries at one batch before the consumer stops with status 'failed'. Infrastructure errors count none. */
  maxAttempts?: number;
  /** First retry delay; doubled on each further try, up to `maxBackoffMs`. */
  backoffMs?: number;
  /** The longest wait between two tries (10 s). */
  maxBackoffMs?: number;
  /** How the runner waits out a retry delay: a timer, unless a test records the delays instead. */
  delay?: (ms: number) => Promise<void>;
  /** A number in [0, 1) drawn for the jitter of a stalled consumer's delays (Math.random). */
  random?: () => number;
  pollIntervalMs?: number;
  lockIntervalMs?: number;
  /**
   * false: the runner opens no LISTEN connection of its own; whoever hosts it calls `wake()` on every
   * NOTIFY (the worker's ConsumerHost does, for all its runners on one connection: the connection budget).
   */
  ownListener?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Names the event in a failure message when the batch held one handled event. */
const where = (handled: RecordedEvent[]): string =>
  handled.length === 1 ? `event ${handled[0].position} (${handled[0].type}): ` : '';

/** A stall the runner has not managed to record yet (the database was away): recorded before the next try. */
interface PendingStall {
  at: Checkpoint;
  error: string;
  counted: boolean;
}

/**
 * Runs one consumer: elected by its lock, woken by NOTIFY or the timer, it reads a batch after its
 * checkpoint (the first statement of the transaction), applies it, and moves the checkpoint by
 * compare-and-set in the same transaction. Two kinds of error call for opposite answers
 * (docs/architecture.md, "Failures"): an infrastructure error (isDependencyUnavailable) stalls the consumer,
 * which retries by itself forever with capped, jittered backoff and counts no try; a consumer that keeps
 * throwing on an event stops there with status 'failed' until it is resumed. The other consumers have
 * runners of their own and go on.
 */
export class ConsumerRunner {
  private readonly lock: ConsumerLock;
  private readonly listener?: LogListener;
  private row?: CheckpointRow;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Events still to apply one by one after a failed batch. */
  private isolating = 0;
  /** Infrastructure errors in a row: the exponent of the stalled consumer's backoff. */
  private stalls = 0;
  private pendingStall?: PendingStall;
  /** False once analysing its tables failed for another reason than the database (table-statistics.ts). */
  private analysing = true;

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
      onError: (error) => this.report('consumer-lock', error),
    });
    this.listener =
      options.ownListener === false
        ? undefined
        : new LogListener(
            {
              databaseUrl: options.databaseUrl,
              pollIntervalMs: options.pollIntervalMs,
              // Polling goes on until the LISTEN connection is back.
              onError: (error) => this.report('log-listener', error),
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
    await this.listener?.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener?.stop();
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
      .catch((error: Error) => {
        this.options.logger.error({ consumer: this.consumer.name, err: error }, 'consumer loop error');
        this.options.errors?.report(`consumer:${this.consumer.name}`, error);
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    // Read the row at every wake-up: a rebuild or a resume may have changed it while this runner was idle.
    this.row = undefined;
    while (!this.stopped && this.lock.isLeader) {
      try {
        if (await this.step()) return;
        this.stalls = 0;
      } catch (error) {
        if (!isDependencyUnavailable(error)) throw error;
        await this.stalled(error as Error);
      }
    }
  }

  /** One turn of the loop; true when there is nothing more to do until the next wake-up. */
  private async step(): Promise<boolean> {
    if (this.pendingStall) await this.recordPendingStall();
    this.row ??= await loadCheckpoint(this.pool, this.consumer.name);
    if (this.row.status === 'failed') {
      this.row = undefined; // read again at the next wake: a resume or a rebuild may have reset it
      return true;
    }
    // An unfinished earlier try (this runner's, or one whose process died) means one event at a time.
    const batchSize = this.isolating > 0 || this.row.attempts > 0 ? 1 : (this.options.batchSize ?? 1_000);
    const outcome = await this.applyNext(this.row, batchSize);
    if (outcome === 'idle') {
      this.isolating = 0;
      return true;
    }
    if (outcome === 'more' && this.isolating > 0) this.isolating--;
    return false;
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
      case 'unavailable':
        // Recorded before the wait (so the status shows it), or before the next try if the database is away.
        this.pendingStall = {
          at: row.checkpoint,
          error: `${where(outcome.handled)}${outcome.error.name}: ${outcome.error.message}`,
          counted: outcome.counted,
        };
        throw outcome.error;
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
        if (this.analysing && (!outcome.caughtUp || row.status === 'rebuilding')) await this.analyseTables();
        return outcome.caughtUp ? 'idle' : 'more';
    }
  }

  /**
   * While it catches up or rebuilds, a projection's tables that have no statistics, or have outgrown theirs, are
   * analysed after a batch (table-statistics.ts): the plans of its next batches then see the rows. The batch has
   * committed, so a failure only costs speed: it is reported, and the runner goes on. A table held by a VACUUM, or
   * the database away, is tried again after a later batch; after any other failure the runner stops analysing.
   */
  private async analyseTables(): Promise<void> {
    try {
      await analyseOutgrownTables(this.pool, (this.consumer as Partial<Projection>).tables ?? []);
    } catch (error) {
      this.analysing = isDependencyUnavailable(error);
      this.report('table-statistics', error as Error);
    }
  }

  /**
   * An infrastructure error: record the stall if the database lets us, then wait, doubling the delay
   * with each error in a row up to the cap. Each delay is drawn between half and all of it, so runners
   * of every consumer and worker do not all come back at the same instant.
   */
  private async stalled(error: Error): Promise<void> {
    this.stalls++;
    this.row = undefined;
    this.report(`consumer:${this.consumer.name}`, error);
    if (this.pendingStall) await this.recordPendingStall().catch(() => undefined); // kept for the next turn
    const ceiling = this.backoff(this.stalls);
    await (this.options.delay ?? sleep)(
      Math.round(ceiling / 2 + (ceiling / 2) * (this.options.random ?? Math.random)()),
    );
  }

  private async recordPendingStall(): Promise<void> {
    const stall = this.pendingStall!;
    await recordStall(this.pool, this.consumer.name, stall.at, stall.error, stall.counted);
    this.pendingStall = undefined;
  }

  private report(source: string, error: Error): void {
    if (this.options.errors) this.options.errors.report(source, error);
    else this.options.logger.warn({ consumer: this.consumer.name, source, err: error.message }, 'background error');
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
    if (!stop) await (this.options.delay ?? sleep)(this.backoff(attempts));
  }

  /** The n-th wait of a retry, doubling from backoffMs up to maxBackoffMs: one rule for stalls and failures. */
  private backoff(n: number): number {
    return Math.min((this.options.backoffMs ?? 100) * 2 ** Math.min(n - 1, 30), this.options.maxBackoffMs ?? 10_000);
  }
}
