import { Client } from 'pg';
import { LOCK_CLASS_CONSUMERS } from '@vigil/platform';

export interface ConsumerLockOptions {
  databaseUrl: string;
  /** How often a follower tries to take the lock, and the leader checks its connection. */
  intervalMs?: number;
  onChange?: (leader: boolean) => void;
  onError?: (error: Error) => void;
}

/**
 * One runner per consumer across all workers: a session advisory lock held on a dedicated connection.
 * If the process dies, Postgres drops the session and the lock with it; a follower takes over at its
 * next try. A heartbeat on the connection notices a lost session; the checkpoint's compare-and-set
 * covers the moment between losing the lock and noticing.
 */
export class ConsumerLock {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private leader = false;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly options: ConsumerLockOptions,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.setLeader(false);
    const client = this.client;
    this.client = undefined;
    // Ending the session releases the lock.
    await client?.end().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      const client = await this.connection();
      if (this.leader) {
        await client.query('SELECT 1');
      } else {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
          [LOCK_CLASS_CONSUMERS, this.name],
        );
        this.setLeader(rows[0].locked);
      }
    } catch (error) {
      this.dropConnection();
      if (!this.stopped) this.options.onError?.(error as Error);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.intervalMs ?? 1_000);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: `vigil-lock:${this.name}`,
    });
    client.on('error', (error) => {
      // The session (and the lock with it) is gone; a follower may take over. Say so, then try again.
      this.dropConnection();
      if (!this.stopped) this.options.onError?.(error);
    });
    await client.connect();
    if (this.stopped) {
      // stop() ran while we were connecting: it had no connection to close, so this one must not take the lock.
      await client.end().catch(() => undefined);
      throw new Error('consumer lock stopped while connecting');
    }
    this.client = client;
    return client;
  }

  private dropConnection(): void {
    const client = this.client;
    this.client = undefined;
    this.setLeader(false);
    client?.end().catch(() => undefined);
  }

  private setLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.onChange?.(leader);
  }
}
