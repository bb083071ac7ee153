import { performance } from 'node:perf_hooks';

/**
 * A value that is costly to compute and may be a few seconds old (the consumers' lag, read with a count per
 * consumer): computed at most once per `maxAgeMs`, and callers that arrive while it is being computed share
 * that computation. A failed computation is not kept: the next caller tries again.
 */
export class RecentValue<T> {
  private current?: { at: number; value: Promise<T> };

  constructor(
    private readonly compute: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(): Promise<T> {
    const now = this.now();
    if (this.current && now - this.current.at < this.maxAgeMs) return this.current.value;
    const entry = { at: now, value: this.compute() };
    this.current = entry;
    entry.value.catch(() => {
      if (this.current === entry) this.current = undefined;
    });
    return entry.value;
  }
}
