import type { Logger } from 'pino';
import type { Metrics } from './metrics';

/** A burst ends after this long without the same error. */
const QUIET_MS = 30_000;

interface Burst {
  since: number;
  last: number;
  count: number;
}

/**
 * Errors that a library reports in the background (a pool's idle client, Redis reconnecting, a BullMQ
 * queue, the LISTEN connection): each one is counted in `vigil_background_errors_total`, and logged once
 * at the start of a burst and once when the burst is over with how many there were. An outage of a
 * minute is two lines, not thousands: nothing is swallowed, and the log stays readable.
 */
export class ErrorReporter {
  private readonly bursts = new Map<string, Burst>();
  /** Ends the bursts that went quiet, when no later error comes to do it (the outage is over). */
  private quietCheck?: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
    private readonly now: () => number = Date.now,
  ) {}

  /** `source` names where it came from (e.g. 'redis', 'pg-pool', 'queue:mail-delivery'). */
  report(source: string, error: unknown): void {
    this.metrics?.backgroundErrors.inc({ source });
    const message = error instanceof Error ? error.message : String(error);
    const key = `${source}\u0000${message}`;
    const now = this.now();
    this.endQuietBursts(now);
    const burst = this.bursts.get(key);
    if (burst) {
      burst.count++;
      burst.last = now;
      return;
    }
    this.bursts.set(key, { since: now, last: now, count: 1 });
    this.logger.warn({ source, err: message }, 'background error');
    this.checkWhenQuiet();
  }

  private checkWhenQuiet(): void {
    if (this.quietCheck) return;
    this.quietCheck = setTimeout(() => {
      this.quietCheck = undefined;
      this.endQuietBursts(this.now());
      if (this.bursts.size) this.checkWhenQuiet();
    }, QUIET_MS);
    // Never what keeps a process alive.
    this.quietCheck.unref();
  }

  private endQuietBursts(now: number): void {
    for (const [key, burst] of this.bursts) {
      if (now - burst.last < QUIET_MS) continue;
      this.bursts.delete(key);
      if (burst.count > 1) {
        const [source, message] = key.split('\u0000');
        this.logger.warn(
          { source, err: message, count: burst.count, forMs: burst.last - burst.since },
          'background error burst over',
        );
      }
    }
  }
}

/**
 * A promise rejected with nobody listening is a bug somewhere, but not a reason to drop every request and
 * job in flight: it is reported like any background error (logged once per burst, counted) and the process
 * goes on. Called once by each app's main.ts.
 */
export function reportUnhandledRejections(errors: ErrorReporter): void {
  process.on('unhandledRejection', (reason) => errors.report('unhandled-rejection', reason));
}
