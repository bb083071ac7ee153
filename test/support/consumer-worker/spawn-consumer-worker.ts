import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../wait-for';
import type { WorkerMessage } from './worker-message';

const ROOT = join(__dirname, '../../..');
const SCRIPT = join(__dirname, 'consumer-worker.ts');
/** `ts-node --swc`, as `npm run bench` runs: about 1 s to start here, half of ts-node's own transpile-only mode. */
const TS_NODE = require.resolve('ts-node/dist/bin');

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

/**
 * A consumer worker in a child process (consumer-worker.ts under ts-node), with what it reported over IPC. Every one spawned is listed, so that `reapAll` can kill
 * and wait for whatever is still alive, whatever the test did.
 */
export class ConsumerWorker {
  private static readonly all = new Set<ConsumerWorker>();

  readonly child: ChildProcess;
  readonly messages: WorkerMessage[] = [];
  private readonly exitPromise: Promise<void>;
  private exitedNow = false;
  private stderr = '';

  private constructor(options: ConsumerWorkerOptions) {
    this.child = spawn(
      process.execPath,
      [TS_NODE, '--swc', '--project', join(ROOT, 'tsconfig.json'), '-r', 'tsconfig-paths/register', SCRIPT],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          WORKER_DATABASE_URL: options.databaseUrl,
          WORKER_CONSUMER: options.consumer,
          WORKER_BATCH_SIZE: String(options.batchSize ?? 10),
          WORKER_APPLY_DELAY_MS: String(options.applyDelayMs ?? 0),
          WORKER_CRASH_ON_POISON: String(options.crashOnPoison ?? false),
          WORKER_MAX_ATTEMPTS: String(options.maxAttempts ?? 5),
        },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4_000);
    });
    this.child.on('message', (message: WorkerMessage) => this.messages.push(message));
    this.exitPromise = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.exitedNow = true;
        ConsumerWorker.all.delete(this);
        resolve();
      }),
    );
    this.child.on('error', (error) => {
      this.stderr += `\n${error.message}`;
    });
    ConsumerWorker.all.add(this);
  }

  static spawn(options: ConsumerWorkerOptions): ConsumerWorker {
    return new ConsumerWorker(options);
  }

  /** Kills (SIGKILL) every worker still alive and waits until each has exited. */
  static async reapAll(): Promise<void> {
    await Promise.all([...ConsumerWorker.all].map((worker) => worker.kill('SIGKILL')));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.exitedNow;
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

  async started(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      () => {
        const error = this.messages.find((m) => m.type === 'error');
        if (error?.type === 'error') throw new Error(`worker ${this.pid} failed: ${error.message}`);
        if (!this.alive) throw new Error(`worker ${this.pid} exited before starting: ${this.stderr}`);
        return this.messages.some((m) => m.type === 'started');
      },
      { timeoutMs, what: `worker ${this.pid} to start` },
    );
  }

  /** Resolves once the process has exited (and been reaped). */
  exited(): Promise<void> {
    return this.exitPromise;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.alive) this.child.kill(signal);
    await this.exitPromise;
  }
}
