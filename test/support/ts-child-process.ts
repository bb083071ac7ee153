import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '../..');
/** `ts-node --swc`, as `npm run bench` runs: about 1 s to start here. */
const TS_NODE = require.resolve('ts-node/dist/bin');

/** What every child script reports over IPC; scripts add messages of their own. */
export type ChildMessage =
  { type: 'started' } | { type: 'error'; message: string } | { type: string; [field: string]: unknown };

/**
 * A TypeScript script of the test harness in a child process, with what it reported over IPC. Every one
 * spawned is listed until it exits, so that `reapAll` (in afterAll) kills and waits for whatever is still
 * alive, whatever the test did.
 */
export class TsChildProcess<Message extends { type: string } = ChildMessage> {
  private static readonly all = new Set<TsChildProcess<{ type: string }>>();

  readonly child: ChildProcess;
  readonly messages: Message[] = [];
  private readonly exitPromise: Promise<void>;
  private exitedNow = false;
  private stderr = '';

  constructor(script: string, env: Record<string, string>) {
    this.child = spawn(
      process.execPath,
      [TS_NODE, '--swc', '--project', join(ROOT, 'tsconfig.json'), '-r', 'tsconfig-paths/register', script],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
    );
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4_000);
    });
    this.child.on('message', (message: Message) => this.messages.push(message));
    this.exitPromise = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.exitedNow = true;
        TsChildProcess.all.delete(this);
        resolve();
      }),
    );
    this.child.on('error', (error) => {
      this.stderr += `\n${error.message}`;
    });
    TsChildProcess.all.add(this);
  }

  /** Kills (SIGKILL) every child still alive and waits until each has exited. */
  static async reapAll(): Promise<void> {
    await Promise.all([...TsChildProcess.all].map((child) => child.kill('SIGKILL')));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.exitedNow;
  }

  /** Resolves once the script said it runs; throws at once if it failed or exited instead. */
  async started(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      () => {
        const error = this.messages.find((m) => m.type === 'error') as { message?: string } | undefined;
        if (error) throw new Error(`process ${this.pid} failed: ${error.message}`);
        if (!this.alive) throw new Error(`process ${this.pid} exited before starting: ${this.stderr}`);
        return this.messages.some((m) => m.type === 'started');
      },
      { timeoutMs, what: `process ${this.pid} to start` },
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
