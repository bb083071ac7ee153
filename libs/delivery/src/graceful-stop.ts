import type { Worker } from 'bullmq';

export interface DeliveryShutdownOptions {
  /**
   * How long a stopping worker lets the jobs in hand finish before it cuts them (and hands them back).
   * Below the 10 s `docker stop` waits before SIGKILL, leaving time to close pools.
   */
  deadlineMs: number;
}

export const DELIVERY_SHUTDOWN_OPTIONS = Symbol('DELIVERY_SHUTDOWN_OPTIONS');
export const DEFAULT_DELIVERY_SHUTDOWN_OPTIONS: DeliveryShutdownOptions = { deadlineMs: 7_000 };

/** After the cut, how long the jobs get to hand themselves back before the process goes on closing regardless. */
const AFTER_CUT_MS = 2_000;

/**
 * Stops a BullMQ worker before anything it needs is closed: it takes no new job at once, the jobs in hand
 * get `deadlineMs` to finish; then `cut` is called (it makes them end now, handing their job back) and
 * they get a little longer to do so. Called from `beforeApplicationShutdown`, which Nest runs for every
 * provider before any `onApplicationShutdown` closes a transport, a queue or a pool.
 */
export async function stopWorker(worker: Worker, deadlineMs: number, cut: () => void): Promise<void> {
  const closed = worker.close();
  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number) =>
    new Promise<'late'>((resolve) => {
      timers.push(setTimeout(() => resolve('late'), ms));
    });
  try {
    if ((await Promise.race([closed, after(deadlineMs)])) === 'late') {
      cut();
      // A worker whose Redis is away may never finish closing: the process must still stop.
      await Promise.race([closed, after(AFTER_CUT_MS)]);
    }
  } finally {
    timers.forEach(clearTimeout);
  }
}
