import { setTimeout as delay } from 'node:timers/promises';
import { UnrecoverableError } from 'bullmq';

/** Where a send's outcome goes: the deliveries of alerts, or the confirmation mails. */
export interface OutcomeRecord {
  delivered(id: string, response?: { status: number; body: string }): Promise<void>;
  failed(id: string, error: string, dead: boolean, response?: { status: number; body: string }): Promise<void>;
  /** Takes back a try counted for a send that a stopping worker cut. */
  handBack(id: string): Promise<void>;
}

/**
 * Records a failed try on the delivery row and tells BullMQ what to do: retry later (rethrow), or stop
 * (UnrecoverableError) when the failure is permanent or this was the last try.
 */
export async function recordFailedTry(
  deliveries: OutcomeRecord,
  deliveryId: string,
  attempt: number,
  tries: number,
  error: Error,
  permanent: boolean,
  response?: { status: number; body: string },
): Promise<never> {
  const dead = permanent || attempt >= tries;
  await deliveries.failed(deliveryId, error.message, dead, response);
  if (dead) throw new UnrecoverableError(error.message);
  throw error;
}

/** How long writing a `delivered` mark is retried: doubling waits from `firstWaitMs`, at most `maxWaitMs` each. */
export interface MarkRetry {
  tries: number;
  firstWaitMs: number;
  maxWaitMs: number;
}

/** About a minute in all: a database failover fits, the job's lock (renewed while it runs) does not lapse. */
export const DELIVERED_MARK_RETRY: MarkRetry = { tries: 15, firstWaitMs: 50, maxWaitMs: 5_000 };

/**
 * Records a send that succeeded. The send is never repeated for a failed write: the write alone is tried
 * again, whatever its error (a batched mark fails with its whole batch). Should every try fail, the error
 * is returned, not thrown: the job ends without a retry, the row stays unfinished with its try counted,
 * and only the sweeper could send it again, a minute later (docs/architecture.md, "Retries").
 */
export async function recordDelivered(
  deliveries: OutcomeRecord,
  deliveryId: string,
  response?: { status: number; body: string },
  retry: MarkRetry = DELIVERED_MARK_RETRY,
): Promise<Error | undefined> {
  let wait = retry.firstWaitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await deliveries.delivered(deliveryId, response);
      return undefined;
    } catch (error) {
      if (attempt >= retry.tries) return error as Error;
    }
    await delay(wait);
    wait = Math.min(wait * 2, retry.maxWaitMs);
  }
}
