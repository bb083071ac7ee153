import { DelayedError, type Job, type Worker } from 'bullmq';

export interface DeliveryShutdownOptions {
  /**
   * How long a stopping worker lets the jobs in hand finish before it cuts them (and hands them back).
   * Below the 10 s `docker stop` waits before SIGKILL, leaving time to close pools.
   */
  deadlineMs: number;
}

export const DELIVERY_SHUTDOWN_OPTIONS = Symbol('DELIVERY_SHUTDOWN_OPTIONS');
export const DEFAULT_DELIVERY_SHUTDOWN_OPTIONS: DeliveryShutdownOptions = { deadlineMs: 7_000 };

/**
 * Stops a BullMQ worker before anything it needs is closed: it takes no new job at once, the jobs in hand
 * get `deadlineMs` to finish; then `cut` is called (it makes them end now, handing their job back) and
 * the worker is waited for until they have: at once, since a cut send fails at once and every Redis and
 * PostgreSQL command has a bounded wait. (No further bound here would help: Nest's BullMQ module closes
 * the same workers again on shutdown and waits for their jobs all the same.) Called from `beforeApplicationShutdown`, which Nest runs for
 * every provider before any `onApplicationShutdown` closes a transport, a queue or a pool.
 */
export async function stopWorker(worker: Worker, deadlineMs: number, cut: () => void): Promise<void> {
  const closed = worker.close();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  try {
    if ((await Promise.race([closed, late])) === 'late') {
      cut();
      await closed;
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A send the shutdown cut is no try: its try is taken back on the row and its job goes back to the queue
 * for the next worker without spending a BullMQ attempt. Always throws (BullMQ's way to say "delayed").
 */
export function handBackCutSend(
  record: { handBack(id: string): Promise<void> },
  id: string,
  job: Job,
  token: string | undefined,
): Promise<never> {
  return handBackCutSends(record, [id], job, token);
}

/** The same for the sends of a page job that the shutdown cut: every one handed back, the page queued again. */
export async function handBackCutSends(
  record: { handBack(id: string): Promise<void> },
  ids: string[],
  job: Job,
  token: string | undefined,
): Promise<never> {
  for (const id of ids) await record.handBack(id);
  await job.moveToDelayed(Date.now(), token);
  throw new DelayedError();
}
