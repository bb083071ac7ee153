import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ReportingSource, SourceKind, SourceReliability } from '@vigil/domain';
import {
  keysetPage,
  inTransaction,
  newSigningSecret,
  PG_POOL,
  resealColumn,
  SecretBox,
  SigningSecrets,
  VIGIL_CONFIG,
  type CreationKey,
  type KeysetPage,
  type VigilConfig,
} from '@vigil/platform';

export { ROTATED_SECRET_VALID_MS } from '@vigil/platform';

export interface Source {
  id: string;
  name: string;
  kind: SourceKind;
  /** The admiralty grade A…F; null until an admin grades the source. */
  reliability: SourceReliability | null;
  createdAt: Date;
  /** `disabled`: its reports are refused with 401 until an admin enables it again. */
  status: 'active' | 'disabled';
  disabledAt: Date | null;
}

/** What an admin sees once, when the secret is issued. */
export interface IssuedSecret {
  id: string;
  name: string;
  kind: SourceKind;
  reliability: SourceReliability | null;
  secret: string;
}

/** What a new source is: its name, kind and (optional) reliability grade. */
export interface NewSource {
  name: string;
  kind: SourceKind;
  reliability?: SourceReliability;
}

const SOURCE_COLUMNS = `id, name, kind, reliability, created_at AS "createdAt",
  CASE WHEN disabled_at IS NULL THEN 'active' ELSE 'disabled' END AS status, disabled_at AS "disabledAt"`;

/** A source's secret rows, as the signature check reads them: none while the source is disabled. */
const VERIFYING_SECRETS = `SELECT s.sealed, s.expires_at AS "expiresAt"
   FROM source_secrets s JOIN sources o ON o.id = s.source_id
  WHERE s.source_id = $1 AND o.disabled_at IS NULL`;

/**
 * The sources table and their secrets, sealed with SECRETS_KEY at rest. Secrets leave this class in clear
 * only when issued (once, to the admin) and to the signature check, which reads them through a short cache.
 * Every change here forgets the source in that cache, so this process sees it at once, others within
 * SECRETS_CACHE_MS.
 */
@Injectable()
export class SourceSecrets {
  private readonly reportingSources = new Map<string, ReportingSource>();
  private readonly secrets: SigningSecrets;
  private readonly box: SecretBox;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    this.box = new SecretBox(config.secretsKey, config.previousSecretsKeys);
    this.secrets = new SigningSecrets(pool, this.box, 'source_secrets', 'source_id', {
      loadStatement: VERIFYING_SECRETS,
    });
  }

  /** Seals again with SECRETS_KEY the secrets SECRETS_KEY_PREVIOUS (or the older format) sealed. */
  resealAll(): Promise<number> {
    return resealColumn(this.pool, this.box, { table: 'source_secrets', rowKey: 'id', column: 'sealed' });
  }

  async create({ name, kind, reliability }: NewSource): Promise<IssuedSecret> {
    const secret = newSigningSecret();
    // One statement: the source never exists without its secret.
    const { rows } = await this.pool.query<Omit<IssuedSecret, 'secret'>>(
      `WITH source AS (INSERT INTO sources (name, kind, reliability) VALUES ($1, $3, $4) RETURNING id, name, kind, reliability),
            secret AS (INSERT INTO source_secrets (source_id, sealed) SELECT id, $2 FROM source)
       SELECT id, name, kind, reliability FROM source`,
      [name, this.secrets.seal(secret), kind, reliability ?? null],
    );
    // The id may have been asked for before it existed, and remembered as unknown.
    this.secrets.forget(rows[0].id);
    return { ...rows[0], secret };
  }

  /**
   * The source as the event recording its report keeps it (id, name, kind). Undefined when no source has
   * this id (the signature check lets no such report through). Read once per source and process: a
   * source's name and kind never change and sources are never deleted, so every later report of a partner
   * costs no query, and the map holds one entry per verified source, no more.
   */
  async reporting(sourceId: string): Promise<ReportingSource | undefined> {
    const known = this.reportingSources.get(sourceId);
    if (known) return known;
    const { rows } = await this.pool.query<ReportingSource>(
      'SELECT id AS "sourceId", name, kind FROM sources WHERE id = $1',
      [sourceId],
    );
    if (rows[0]) this.reportingSources.set(sourceId, rows[0]);
    return rows[0];
  }

  /** Oldest first, `limit` at a time; `after` is the key of the last row of the previous page. */
  async list(limit: number, after?: CreationKey): Promise<KeysetPage<Source, CreationKey>> {
    const { rows } = await this.pool.query<Source & { createdAtUs: number }>(
      `SELECT ${SOURCE_COLUMNS}, (extract(epoch FROM created_at) * 1000000)::bigint AS "createdAtUs"
         FROM sources
        WHERE $2::bigint IS NULL OR (created_at, id) > (timestamptz 'epoch' + $2 * interval '1 microsecond', $3::uuid)
        ORDER BY created_at, id LIMIT $1`,
      [limit + 1, after?.createdAtUs ?? null, after?.id ?? null],
    );
    return keysetPage(
      rows,
      limit,
      ({ createdAtUs, id }) => ({ createdAtUs, id }),
      ({ createdAtUs: _, ...source }) => source,
    );
  }

  /**
   * Disables (its reports get 401) or enables a source. Disabling an already disabled source keeps the
   * time it was first disabled. Undefined when no source has this id.
   */
  async setDisabled(sourceId: string, disabled: boolean): Promise<Source | undefined> {
    const { rows } = await this.pool.query<Source>(
      `UPDATE sources SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END
        WHERE id = $1 RETURNING ${SOURCE_COLUMNS}`,
      [sourceId, disabled],
    );
    this.secrets.forget(sourceId);
    return rows[0];
  }

  /**
   * Issues a new current secret; the current one becomes valid until `now` + 24 hours, and those already
   * expired are deleted. With `revokeOldNow` every older secret stops at once. Undefined when no source has
   * this id.
   */
  async rotate(sourceId: string, now = new Date(), { revokeOldNow = false } = {}): Promise<IssuedSecret | undefined> {
    const issued = await inTransaction(this.pool, async (client) => {
      // The row lock orders concurrent rotations of one source: each retires the secret the previous one issued.
      const { rows } = await client.query<Omit<IssuedSecret, 'secret'>>(
        'SELECT id, name, kind, reliability FROM sources WHERE id = $1 FOR UPDATE',
        [sourceId],
      );
      return rows.length
        ? { ...rows[0], secret: await this.secrets.rotate(client, sourceId, now, { revokeOld: revokeOldNow }) }
        : undefined;
    });
    if (issued) this.secrets.forget(sourceId);
    return issued;
  }

  /** The secrets that verify a request of this source at `now`: none for an unknown or disabled source. */
  validSecrets(sourceId: string, now = new Date()): Promise<string[]> {
    return this.secrets.valid(sourceId, now);
  }
}
