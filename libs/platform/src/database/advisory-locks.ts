/**
 * Vigil's own advisory locks (session- or transaction-level) use the two-int key space (class, key), so they never collide with the per-stream
 * transaction locks of vigil_append, which use single bigint keys (Postgres keeps the two spaces apart).
 */
export const LOCK_CLASS_MIGRATIONS = 1;
export const LOCK_CLASS_CONSUMERS = 2;
/** Transaction-level: one address's confirmation mails are counted against its daily cap one at a time. */
export const LOCK_CLASS_CONFIRMATION_MAILS = 3;
