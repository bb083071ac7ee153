/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export type Figures = Record<string, number>;

/**
 * The contract's rule: warm-up runs (discarded: cold caches, pool connects, JIT) then `runs` timed
 * runs, each figure reported as the median over the timed runs (robust to one noisy run).
 */
export async function medianOfRuns<T extends Figures>(
  once: (warmup: boolean) => Promise<T>,
  { warmups = 1, runs = 3 }: { warmups?: number; runs?: number } = {},
): Promise<T> {
  if (runs < 3) throw new Error('the contract asks for at least three timed runs');
  for (let i = 0; i < warmups; i++) await once(true);
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await once(false));
  const keys = Object.keys(results[0]) as (keyof T)[];
  return Object.fromEntries(keys.map((key) => [key, median(results.map((r) => r[key]))])) as T;
}

/**
 * `writers` concurrent loops start operations until `seconds` have passed; returns throughput and
 * per-operation latency. Each loop awaits its operation, so `writers` is the concurrency the server
 * sees. A time window (not a fixed count) bounds a run even when one configuration is pathologically
 * slow; operations in flight at the deadline finish and count, and so does the time they took.
 */
export async function drive(
  writers: number,
  seconds: number,
  op: (index: number, writer: number) => Promise<void>,
): Promise<{ perSecond: number; p50Ms: number; p99Ms: number; ops: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let next = 0;
  const loop = async (_: unknown, writer: number) => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      await op(next++, writer);
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: writers }, loop));
  const elapsed = (performance.now() - start) / 1000;
  return {
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ops: latencies.length,
  };
}

/** Two decimals: enough for ms and ops/s, short JSON lines. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
