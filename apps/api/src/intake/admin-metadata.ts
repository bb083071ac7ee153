import type { EventMetadata } from '@vigil/event-store';

/**
 * Who made an admin's change, on every event it appends (a report entered, a correction, a change of who is who,
 * a dismissal): the admin, and the request that asked as its correlation and cause.
 */
export const adminMetadata = (requestId: string): EventMetadata => ({
  correlationId: requestId,
  causationId: requestId,
  actor: 'admin',
  source: 'admin',
});
