import type { ErrorReporter } from './observability/error-reporter';

/**
 * Background work on a timer in a long-running process (the sweeper, the purge of unconfirmed
 * subscriptions): one pass at a time (a slow pass is not overlapped by the next tick), a failed pass reported
 * to ErrorReporter under `name` and tried again at the next tick, and a pass under way awaited on stop.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly errors: ErrorReporter,
  ) {}

  start({ now = false } = {}): void {
    if (now) this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    this.running ??= this.pass()
      .then(() => undefined)
      .catch((error: unknown) => this.errors.report(this.name, error))
      .finally(() => (this.running = undefined));
  }
}
