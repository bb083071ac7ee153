import type { Pool } from 'pg';

export const LOG_CHANNEL = 'vigil_events';

/** Tells every log reader of the database to read the log now (a rebuild, a test). */
export async function wakeLogReaders(pool: Pool): Promise<void> {
  await pool.query(`SELECT pg_notify('${LOG_CHANNEL}', '')`);
}

/**
 * Wakes log readers after a commit. NOTIFY runs in its own statement after the append has committed
 * (inside the append it would take a cluster-wide lock at commit), and concurrent appends share one
 * NOTIFY: a wake-up says "read the log", not which event arrived. Losing one is harmless: readers poll too.
 */
export class LogNotifier {
  private inFlight = false;
  private pending = false;

  /** `onError`: where a failed NOTIFY is reported (harmless to readers, but a sign the database is away). */
  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void,
  ) {}

  notifyAppended(): void {
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = true;
    wakeLogReaders(this.pool)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.inFlight = false;
        if (this.pending) {
          this.pending = false;
          this.notifyAppended();
        }
      });
  }

  /** Resolves once no NOTIFY is in flight, so a pool can be closed cleanly. */
  async drain(): Promise<void> {
    while (this.inFlight || this.pending) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
