import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import type { SecretBox } from './secret-box';

/** A rotated-out secret keeps working this long, so the other side can switch without losing a message. */
export const ROTATED_SECRET_VALID_MS = 24 * 3_600_000;

/**
 * Short enough that other processes see a rotation, a revocation or a disabled owner within seconds; long
 * enough to spare the database under load. An unknown owner is remembered as long, so requests naming an
 * id that does not exist (unauthenticated, anyone can send them) cost one query per id and period.
 */
export const SECRETS_CACHE_MS = 5_000;

/** Owners remembered at most (known and unknown): invented ids push out the oldest, never grow the memory. */
const MAX_CACHED_OWNERS = 10_000;

export interface SigningSecretsOptions {
  /**
   * The statement that reads an owner's secret rows (`sealed`, `"expiresAt"`) by owner id ($1), when the
   * owner's own table decides too (a disabled source has none). Written where that table's statements are.
   */
  loadStatement?: string;
}

export interface OpenedSecret {
  secret: string;
  /** null for the current secret; a rotated-out one works until then. */
  expiresAt: Date | null;
}

/** A row of a secrets table as read: expiresAt as a Date, or as the ISO text of a JSON aggregate. */
export interface SealedSecret {
  sealed: string;
  expiresAt: Date | string | null;
}

/** The current secret and the rotated-out ones still in their 24 hours, the current one first. */
function workingAt(secrets: OpenedSecret[], now: Date): string[] {
  return secrets
    .filter(({ expiresAt }) => expiresAt === null || expiresAt > now)
    .sort((a, b) => (a.expiresAt === null ? -1 : b.expiresAt === null ? 1 : 0))
    .map(({ secret }) => secret);
}

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The Standard Webhooks secrets of an owner (a partner source, a webhook subscription), sealed at rest in
 * `table` (owner column, sealed, expires_at). Secrets leave in clear only when issued and to the code that
 * signs or verifies with them, through a short cache.
 */
export class SigningSecrets {
  /** Promises, so a burst of requests for one owner waits on one query. Oldest first (Map order). */
  private readonly cache = new Map<string, { loadedAt: number; secrets: Promise<OpenedSecret[]> }>();
  private readonly loadStatement: string;

  constructor(
    private readonly pool: Pool,
    private readonly box: SecretBox,
    private readonly table: 'source_secrets' | 'subscription_secrets',
    private readonly owner: 'source_id' | 'subscription_id',
    options: SigningSecretsOptions = {},
  ) {
    this.loadStatement =
      options.loadStatement ?? `SELECT sealed, expires_at AS "expiresAt" FROM ${table} WHERE ${owner} = $1`;
  }

  seal(secret: string): string {
    return this.box.seal(secret);
  }

  /** The secrets that work at `now`, the current one first, from rows the caller read along with other data. */
  openValid(rows: SealedSecret[], now = new Date()): string[] {
    return workingAt(
      rows.map(({ sealed, expiresAt }) => ({
        secret: this.box.open(sealed),
        expiresAt: expiresAt === null ? null : new Date(expiresAt),
      })),
      now,
    );
  }

  /**
   * In the caller's transaction, with the owner's row locked (so concurrent rotations queue up): the
   * current secret is kept until now + 24 h, expired ones are deleted, and a new one is issued. With
   * `revokeOld` (a leaked secret) every older secret is deleted instead: only the new one verifies.
   * Then forget() the owner once the transaction has committed.
   */
  async rotate(tx: PoolClient, ownerId: string, now: Date, { revokeOld = false } = {}): Promise<string> {
    const secret = newSigningSecret();
    if (revokeOld) {
      await tx.query(`DELETE FROM ${this.table} WHERE ${this.owner} = $1`, [ownerId]);
    } else {
      await tx.query(`DELETE FROM ${this.table} WHERE ${this.owner} = $1 AND expires_at <= $2`, [ownerId, now]);
      await tx.query(`UPDATE ${this.table} SET expires_at = $2 WHERE ${this.owner} = $1 AND expires_at IS NULL`, [
        ownerId,
        new Date(now.getTime() + ROTATED_SECRET_VALID_MS),
      ]);
    }
    await tx.query(`INSERT INTO ${this.table} (${this.owner}, sealed) VALUES ($1, $2)`, [
      ownerId,
      this.box.seal(secret),
    ]);
    return secret;
  }

  /**
   * Call after a change commits (a rotation, a new or disabled owner): this process then reads the owner's
   * secrets at once; other processes within SECRETS_CACHE_MS.
   */
  forget(ownerId: string): void {
    this.cache.delete(ownerId);
  }

  /** The secrets that work at `now`, the current one first: none for an unknown owner. */
  async valid(ownerId: string, now = new Date()): Promise<string[]> {
    return workingAt(await this.opened(ownerId), now);
  }

  private opened(ownerId: string): Promise<OpenedSecret[]> {
    const cached = this.cache.get(ownerId);
    if (cached && performance.now() - cached.loadedAt < SECRETS_CACHE_MS) return cached.secrets;
    const entry = { loadedAt: performance.now(), secrets: this.load(ownerId) };
    // Re-inserted at the end, so the first entry is always the oldest and the first to go.
    this.cache.delete(ownerId);
    this.cache.set(ownerId, entry);
    if (this.cache.size > MAX_CACHED_OWNERS) this.cache.delete(this.cache.keys().next().value as string);
    // A failed load is not remembered: the next request tries again.
    entry.secrets.catch(() => this.cache.get(ownerId) === entry && this.cache.delete(ownerId));
    return entry.secrets;
  }

  private async load(ownerId: string): Promise<OpenedSecret[]> {
    const { rows } = await this.pool.query<{ sealed: string; expiresAt: Date | null }>(this.loadStatement, [ownerId]);
    return rows.map(({ sealed, expiresAt }) => ({ secret: this.box.open(sealed), expiresAt }));
  }
}
