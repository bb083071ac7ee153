import { UnrecoverableError } from 'bullmq';
import type { Deliveries } from '@vigil/alerts';

/**
 * Records a failed try on the delivery row and tells BullMQ what to do: retry later (rethrow), or stop
 * (UnrecoverableError) when the failure is permanent or this was the last try.
 */
export async function recordFailedTry(
  deliveries: Deliveries,
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
