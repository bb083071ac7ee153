/**
 * Session-level advisory locks use the two-int key space, so they never collide with the per-stream
 * transaction locks of vigil_append, which use single bigint keys (Postgres keeps the two spaces apart).
 */
export const LOCK_CLASS_MIGRATIONS = 1;
export const LOCK_CLASS_CONSUMERS = 2;
