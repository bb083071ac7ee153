/**
 * Vigil's own advisory locks (session- or transaction-level) use the two-int key space (class, key), so they never collide with the per-stream
 * transaction locks of vigil_append, which use single bigint keys (Postgres keeps the two spaces apart).
 */
export const LOCK_CLASS_MIGRATIONS = 1;
export const LOCK_CLASS_CONSUMERS = 2;
/** Transaction-level: one address's confirmation mails are counted against its daily cap one at a time. */
export const LOCK_CLASS_CONFIRMATION_MAILS = 3;
/**
 * Transaction-level, key 0: the alert router holds it shared while it writes deliveries, an erasure exclusively,
 * so no delivery copying a subscriber's labels is written after their erasure took the others.
 */
export const LOCK_CLASS_SUBSCRIBER_ERASURE = 4;
/**
 * Transaction-level, key: a hash of (incident type, person or organisation): reports that could be one
 * incident are decided one at a time, so two sources reporting it at once end with one incident
 * (apps/api/src/intake/incident-match-index.ts; docs/decisions/0014-one-incident-however-many-sources.md).
 */
export const LOCK_CLASS_INCIDENT_MATCHES = 5;
