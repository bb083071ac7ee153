import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, SecretBox, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';

export interface Source {
  id: string;
  name: string;
  createdAt: Date;
}

/** What an admin sees once, when the secret is issued. */
export interface IssuedSecret {
  id: string;
  name: string;
  secret: string;
}

interface OpenedSecret {
  secret: string;
  /** null for the current secret; a rotated-out one verifies until then. */
  expiresAt: Date | null;
}

/** A rotated-out secret keeps verifying this long, so partners can switch without a lost report. */
export const ROTATED_SECRET_VALID_MS = 24 * 3_600_000;

/** Short enough that another API process sees a rotation within seconds; long enough to spare the database under load. */
const CACHE_MS = 5_000;

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The sources table and their secrets, sealed with SECRETS_KEY at rest. Secrets leave this class in clear
 * only when issued (once, to the admin) and to the signature check, which reads them through a short cache.
 */
@Injectable()
export class SourceSecrets {
  private readonly box: SecretBox;
  /** Promises, so that a burst of requests for one source waits on one query. Holds known sources only. */
  private readonly cache = new Map<string, { loadedAt: number; secrets: Promise<OpenedSecret[]> }>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  async create(name: string): Promise<IssuedSecret> {
    const secret = newSecret();
    // One statement: the source never exists without its secret.
    const { rows } = await this.pool.query<{ id: string; name: string }>(
      `WITH source AS (INSERT INTO sources (name) VALUES ($1) RETURNING id, name),
            secret AS (INSERT INTO source_secrets (source_id, sealed) SELECT id, $2 FROM source)
       SELECT id, name FROM source`,
      [name, this.box.seal(secret)],
    );
    return { ...rows[0], secret };
  }

  /** Oldest first; `after` is the (created_at, id) of the last row of the previous page. */
  async list(limit: number, after?: { createdAt: string; id: string }): Promise<(Source & { position: string })[]> {
    const { rows } = await this.pool.query<Source & { position: string }>(
      `SELECT id, name, created_at AS "createdAt",
              -- microseconds: a JavaScript Date would round them away and skip or repeat rows across pages
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM sources
        WHERE $2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid)
        ORDER BY created_at, id LIMIT $1`,
      [limit, after?.createdAt ?? null, after?.id ?? null],
    );
    return rows;
  }

  /**
   * Issues a new current secret; the current one becomes valid until `now` + 24 hours, and those already
   * expired are deleted. Undefined when no source has this id.
   */
  async rotate(sourceId: string, now = new Date()): Promise<IssuedSecret | undefined> {
    const secret = newSecret();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The row lock orders concurrent rotations of one source: each retires the secret the previous one issued.
      const { rows } = await client.query<{ id: string; name: string }>(
        'SELECT id, name FROM sources WHERE id = $1 FOR UPDATE',
        [sourceId],
      );
      if (!rows.length) {
        await client.query('ROLLBACK');
        return undefined;
      }
      await client.query('DELETE FROM source_secrets WHERE source_id = $1 AND expires_at <= $2', [sourceId, now]);
      await client.query('UPDATE source_secrets SET expires_at = $2 WHERE source_id = $1 AND expires_at IS NULL', [
        sourceId,
        new Date(now.getTime() + ROTATED_SECRET_VALID_MS),
      ]);
      await client.query('INSERT INTO source_secrets (source_id, sealed) VALUES ($1, $2)', [
        sourceId,
        this.box.seal(secret),
      ]);
      await client.query('COMMIT');
      this.cache.delete(sourceId);
      return { ...rows[0], secret };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The secrets that verify a request of this source at `now`: none for an unknown source. */
  async validSecrets(sourceId: string, now = new Date()): Promise<string[]> {
    const opened = await this.opened(sourceId);
    return opened.filter(({ expiresAt }) => expiresAt === null || expiresAt > now).map(({ secret }) => secret);
  }

  private opened(sourceId: string): Promise<OpenedSecret[]> {
    const cached = this.cache.get(sourceId);
    if (cached && performance.now() - cached.loadedAt < CACHE_MS) return cached.secrets;
    const entry = { loadedAt: performance.now(), secrets: this.load(sourceId) };
    this.cache.set(sourceId, entry);
    // Unknown ids and failed loads leave the cache, so guessing ids cannot fill the memory.
    const forget = () => this.cache.get(sourceId) === entry && this.cache.delete(sourceId);
    entry.secrets.then((secrets) => secrets.length || forget(), forget);
    return entry.secrets;
  }

  private async load(sourceId: string): Promise<OpenedSecret[]> {
    const { rows } = await this.pool.query<{ sealed: string; expiresAt: Date | null }>(
      'SELECT sealed, expires_at AS "expiresAt" FROM source_secrets WHERE source_id = $1',
      [sourceId],
    );
    return rows.map(({ sealed, expiresAt }) => ({ secret: this.box.open(sealed), expiresAt }));
  }
}
