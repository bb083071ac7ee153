import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import type { SecretBox } from './secret-box';

/** A rotated-out secret keeps working this long, so the other side can switch without losing a message. */
export const ROTATED_SECRET_VALID_MS = 24 * 3_600_000;

/** Short enough that other processes see a rotation within seconds; long enough to spare the database under load. */
const CACHE_MS = 5_000;

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
  /** Promises, so a burst of requests for one owner waits on one query. Holds known owners only. */
  private readonly cache = new Map<string, { loadedAt: number; secrets: Promise<OpenedSecret[]> }>();

  constructor(
    private readonly pool: Pool,
    private readonly box: SecretBox,
    private readonly table: 'source_secrets' | 'subscription_secrets',
    private readonly owner: 'source_id' | 'subscription_id',
  ) {}

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
   * current secret is kept until now + 24 h, expired ones are deleted, and a new one is issued.
   * Then forget() the owner once the transaction has committed.
   */
  async rotate(tx: PoolClient, ownerId: string, now: Date): Promise<string> {
    const secret = newSigningSecret();
    await tx.query(`DELETE FROM ${this.table} WHERE ${this.owner} = $1 AND expires_at <= $2`, [ownerId, now]);
    await tx.query(`UPDATE ${this.table} SET expires_at = $2 WHERE ${this.owner} = $1 AND expires_at IS NULL`, [
      ownerId,
      new Date(now.getTime() + ROTATED_SECRET_VALID_MS),
    ]);
    await tx.query(`INSERT INTO ${this.table} (${this.owner}, sealed) VALUES ($1, $2)`, [
      ownerId,
      this.box.seal(secret),
    ]);
    return secret;
  }

  /** Call after the rotation commits: this process then reads the new secrets at once. */
  forget(ownerId: string): void {
    this.cache.delete(ownerId);
  }

  /** The secrets that work at `now`, the current one first: none for an unknown owner. */
  async valid(ownerId: string, now = new Date()): Promise<string[]> {
    return workingAt(await this.opened(ownerId), now);
  }

  private opened(ownerId: string): Promise<OpenedSecret[]> {
    const cached = this.cache.get(ownerId);
    if (cached && performance.now() - cached.loadedAt < CACHE_MS) return cached.secrets;
    const entry = { loadedAt: performance.now(), secrets: this.load(ownerId) };
    this.cache.set(ownerId, entry);
    // Unknown ids and failed loads leave the cache, so guessing ids cannot fill the memory.
    const forget = () => this.cache.get(ownerId) === entry && this.cache.delete(ownerId);
    entry.secrets.then((secrets) => secrets.length || forget(), forget);
    return entry.secrets;
  }

  private async load(ownerId: string): Promise<OpenedSecret[]> {
    const { rows } = await this.pool.query<{ sealed: string; expiresAt: Date | null }>(
      `SELECT sealed, expires_at AS "expiresAt" FROM ${this.table} WHERE ${this.owner} = $1`,
      [ownerId],
    );
    return rows.map(({ sealed, expiresAt }) => ({ secret: this.box.open(sealed), expiresAt }));
  }
}
