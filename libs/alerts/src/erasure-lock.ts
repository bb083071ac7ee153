import type { PoolClient } from 'pg';
import { LOCK_CLASS_SUBSCRIBER_ERASURE } from '@vigil/platform';

/**
 * Routing and erasure take turns. A routing transaction reads the watch lists, then writes deliveries that
 * copy the labels; were an erasure to commit in between, its delivery rows would outlive it. So the router
 * holds this lock shared for its transaction and an erasure holds it exclusively: the erasure sees every
 * delivery of routing that went before, and routing that comes after no longer finds the subscriber.
 */
export async function shareWithRouting(tx: PoolClient): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared($1, 0)', [LOCK_CLASS_SUBSCRIBER_ERASURE]);
}

/** An erasure's turn: waits for routing under way, and holds new routing off until its transaction ends. */
export async function holdOffRouting(tx: PoolClient): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS_SUBSCRIBER_ERASURE]);
}
