import { Client } from 'pg';
import { LOG_CHANNEL } from './log-notifier';

export interface LogListenerOptions {
  databaseUrl: string;
  /** The polling fallback: readers are woken at least this often even if every NOTIFY is lost. */
  pollIntervalMs?: number;
  /** Delay before a dropped LISTEN connection is opened again. */
  reconnectDelayMs?: number;
  onError?: (error: Error) => void;
}

/**
 * Calls `wake` on every NOTIFY of the log channel and on a timer. A LISTEN connection that fails or is
 * killed falls back to the timer and is reconnected; it never stops the loop.
 */
export class LogListener {
  private client?: Client;
  private pollTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = true;

  constructor(
    private readonly options: LogListenerOptions,
    private readonly wake: () => void,
  ) {}

  /** True while a LISTEN connection is established (tests and the health endpoint read it). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.pollTimer = setInterval(this.wake, this.options.pollIntervalMs ?? 1_000);
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'vigil-log-listener' });
    client.on('notification', () => this.wake());
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client, new Error('LISTEN connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${LOG_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Events may have been appended while we were not listening.
      this.wake();
    } catch (error) {
      this.dropped(client, error as Error);
    }
  }

  private dropped(client: Client, error: Error): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.stopped || this.reconnectTimer) return;
    this.options.onError?.(error);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) void this.connect();
    }, this.options.reconnectDelayMs ?? 1_000);
  }
}
