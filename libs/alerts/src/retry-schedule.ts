/** The name jobs give as their backoff type; the worker's backoffStrategy answers it from RETRY_SCHEDULE. */
export const RETRY_BACKOFF = 'retry-schedule';

/**
 * BullMQ custom backoff: the delay before try n+1 is the n-th entry of RETRY_SCHEDULE. A job has one try
 * more than the schedule has delays; after the last, the delivery is dead.
 */
export function retryBackoff(schedule: number[]): (attemptsMade: number) => number {
  return (attemptsMade) => schedule[Math.min(attemptsMade, schedule.length) - 1] ?? schedule.at(-1) ?? 0;
}

export const triesOf = (schedule: number[]): number => schedule.length + 1;
