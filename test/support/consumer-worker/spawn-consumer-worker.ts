import { join } from 'node:path';
import { TsChildProcess } from '../ts-child-process';
import type { WorkerMessage } from './worker-message';

const SCRIPT = join(__dirname, 'consumer-worker.ts');

export interface ConsumerWorkerOptions {
  databaseUrl: string;
  consumer: string;
  batchSize?: number;
  /** Held inside each batch's transaction (pg_sleep), to widen the window a SIGKILL can land in. */
  applyDelayMs?: number;
  /** The process kills itself (SIGKILL) on a batch holding an event with data.poison. */
  crashOnPoison?: boolean;
  maxAttempts?: number;
}

/** A consumer worker in a child process (consumer-worker.ts under ts-node), with what it reported over IPC. */
export class ConsumerWorker extends TsChildProcess<WorkerMessage> {
  static spawn(options: ConsumerWorkerOptions): ConsumerWorker {
    return new ConsumerWorker(SCRIPT, {
      WORKER_DATABASE_URL: options.databaseUrl,
      WORKER_CONSUMER: options.consumer,
      WORKER_BATCH_SIZE: String(options.batchSize ?? 10),
      WORKER_APPLY_DELAY_MS: String(options.applyDelayMs ?? 0),
      WORKER_CRASH_ON_POISON: String(options.crashOnPoison ?? false),
      WORKER_MAX_ATTEMPTS: String(options.maxAttempts ?? 5),
    });
  }

  /** What the worker last said about the lock: true while it runs the consumer. */
  get isLeader(): boolean {
    const last = this.messages.filter((m) => m.type === 'leader').at(-1);
    return last?.type === 'leader' && last.leader;
  }

  /** How many times it said it took the lock. */
  get leaderships(): number {
    return this.messages.filter((m) => m.type === 'leader' && m.leader).length;
  }
}
