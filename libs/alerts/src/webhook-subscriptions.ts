import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  inTransaction,
  newSigningSecret,
  PG_POOL,
  SecretBox,
  SigningSecrets,
  VIGIL_CONFIG,
  type CreationKey,
  type KeysetPage,
  type SealedSecret,
  type VigilConfig,
} from '@vigil/platform';
import { forgetSubscriberInDeliveries } from './deliveries';
import { holdOffRouting } from './erasure-lock';
import { SubscriberData } from './subscriber-data';
import { listSubscriptions } from './subscription-list';
import { insertWatches } from './subscription-watches';
import type { IncidentTypeName, Watch } from './watch';
import { DEFAULT_VERIFICATION_THRESHOLD, type VerificationThreshold } from '@vigil/domain';

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  status: string;
  types: string[] | null;
  minVerification: VerificationThreshold;
  watch: { persons: string[]; organizations: string[] };
  createdAt: Date;
}

/**
 * Partner systems that watch by webhook: an admin creates them (no opt-in mail), they are active at once,
 * and each has Standard Webhooks secrets to sign its alerts with.
 */
@Injectable()
export class WebhookSubscriptions {
  private readonly secrets: SigningSecrets;
  private readonly data: SubscriberData;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    this.secrets = new SigningSecrets(
      pool,
      new SecretBox(config.secretsKey, config.previousSecretsKeys),
      'subscription_secrets',
      'subscription_id',
    );
    this.data = new SubscriberData(config);
  }

  async create(
    url: string,
    watches: Watch[],
    types?: IncidentTypeName[],
    minVerification: VerificationThreshold = DEFAULT_VERIFICATION_THRESHOLD,
  ): Promise<{ id: string; secret: string }> {
    const id = randomUUID();
    const secret = newSigningSecret();
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO subscriptions (id, channel, url, status, types, min_verification, confirmed_at)
         VALUES ($1, 'webhook', $2, 'active', $3, $4, now())`,
        [id, url, types ?? null, minVerification],
      );
      await insertWatches(client, id, watches, this.data);
      await client.query('INSERT INTO subscription_secrets (subscription_id, sealed) VALUES ($1, $2)', [
        id,
        this.secrets.seal(secret),
      ]);
    });
    return { id, secret };
  }

  /** Oldest first, `limit` at a time; `after` is the key of the last row of the previous page. */
  async list(limit: number, after?: CreationKey): Promise<KeysetPage<WebhookSubscriptionView, CreationKey>> {
    const page = await listSubscriptions(this.pool, this.data, 'webhook', limit, after);
    return {
      ...page,
      items: page.items.map(({ id, url, status, types, minVerification, watch, createdAt }) => ({
        id,
        url: url!,
        status,
        types,
        minVerification,
        watch,
        createdAt,
      })),
    };
  }

  /**
   * Deletes the subscription with its watch list and secrets, and in the same transaction the watch labels
   * copied into its deliveries (they keep the incident and the outcome under its id).
   */
  remove(id: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(`DELETE FROM subscriptions WHERE id = $1 AND channel = 'webhook'`, [id]);
      if (!rowCount) return false;
      await holdOffRouting(client);
      await forgetSubscriberInDeliveries(client, id);
      return true;
    });
  }

  async rotate(id: string, now = new Date()): Promise<{ id: string; secret: string } | undefined> {
    const secret = await inTransaction(this.pool, async (client) => {
      // The row lock orders concurrent rotations: each retires the secret the previous one issued.
      const { rowCount } = await client.query(
        `SELECT 1 FROM subscriptions WHERE id = $1 AND channel = 'webhook' FOR UPDATE`,
        [id],
      );
      return rowCount ? this.secrets.rotate(client, id, now) : undefined;
    });
    if (secret === undefined) return undefined;
    this.secrets.forget(id);
    return { id, secret };
  }

  /** The secrets to sign with now, from the rows a delivery try read (Deliveries.startWebhookTry). */
  openSecrets(rows: SealedSecret[]): string[] {
    return this.secrets.openValid(rows);
  }

  /** A receiver that answers 410 Gone wants no more: the subscription stops. */
  async disable(id: string): Promise<void> {
    await this.pool.query(`UPDATE subscriptions SET status = 'disabled', ended_at = now() WHERE id = $1`, [id]);
  }
}
