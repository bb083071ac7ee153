import type { Pool } from 'pg';
import { type Checkpoint, type RecordedEvent } from './event.types';
import { LogListener, type LogListenerOptions } from './log-listener';
import { readEventsAfter } from './read-events';

export interface CatchUpOptions extends LogListenerOptions {
  from: Checkpoint;
  batchSize?: number;
  handle(events: RecordedEvent[], checkpoint: Checkpoint): Promise<void>;
}

/**
 * Follows the log from a checkpoint: reads batches until it is caught up, then sleeps until a NOTIFY or
 * the polling timer. The checkpoint here lives in memory; consumers that must survive a restart keep
 * theirs in the same transaction as their writes (the projection runner does).
 */
export class CatchUpSubscription {
  private readonly listener: LogListener;
  private checkpointValue: Checkpoint;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: CatchUpOptions,
  ) {
    this.checkpointValue = options.from;
    this.listener = new LogListener(options, () => this.wake());
  }

  get checkpoint(): Checkpoint {
    return this.checkpointValue;
  }

  /** Exposed so tests can show that polling alone keeps events flowing. */
  get listening(): boolean {
    return this.listener.listening;
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener.stop();
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    try {
      while (!this.stopped) {
        const batch = await readEventsAfter(this.pool, this.checkpointValue, batchSize);
        if (batch.events.length === 0) return;
        await this.options.handle(batch.events, batch.checkpoint);
        this.checkpointValue = batch.checkpoint;
        if (batch.events.length < batchSize) return;
      }
    } catch (error) {
      // The next wake-up (NOTIFY or timer) tries again from the same checkpoint.
      this.options.onError?.(error as Error);
    }
  }
}
