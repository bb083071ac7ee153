import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { keysetPage, PG_POOL, type CreationKey, type KeysetPage } from '@vigil/platform';
import { addressHash, hashToken } from './subscription-tokens';
import type { IncidentTypeName, Watch } from './watch';

export interface NewEmailSubscription {
  email: string;
  watches: Watch[];
  types?: IncidentTypeName[];
  confirmTokenHash: Buffer;
  confirmExpiresAt: Date;
  unsubscribeTokenHash: Buffer;
  unsubscribeTokenBox: string;
}

export interface SubscriptionView {
  id: string;
  email: string;
  status: string;
  types: string[] | null;
  watch: { persons: string[]; organizations: string[] };
  createdAt: Date;
  confirmedAt: Date | null;
}

/** The email subscriptions table and its watch lists. No address ever leaves through the event log. */
@Injectable()
export class EmailSubscriptions {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async create(subscription: NewEmailSubscription): Promise<string> {
    const id = randomUUID();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO subscriptions (id, channel, email, status, types, confirm_token_hash, confirm_expires_at,
                                    unsubscribe_token_hash, unsubscribe_token_box)
         VALUES ($1, 'email', $2, 'pending', $3, $4, $5, $6, $7)`,
        [
          id,
          subscription.email,
          subscription.types ?? null,
          subscription.confirmTokenHash,
          subscription.confirmExpiresAt,
          subscription.unsubscribeTokenHash,
          subscription.unsubscribeTokenBox,
        ],
      );
      await client.query(
        `INSERT INTO subscription_watches (subscription_id, subject, subject_id, key, label)
         SELECT $1, subject, subject_id, key, label FROM jsonb_to_recordset($2::jsonb)
             AS w(subject text, subject_id uuid, key text, label text)`,
        [
          id,
          JSON.stringify(
            subscription.watches.map((w) => ({
              subject: w.subject,
              subject_id: w.subjectId ?? null,
              key: w.key ?? null,
              label: w.label,
            })),
          ),
        ],
      );
      await client.query('COMMIT');
      return id;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** Activates the pending subscription of a confirmation token; a token works once, and not after it expires. */
  async confirm(token: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE subscriptions SET status = 'active', confirmed_at = now(), confirm_token_hash = NULL, confirm_expires_at = NULL
        WHERE confirm_token_hash = $1 AND status = 'pending' AND confirm_expires_at > now()
        RETURNING id`,
      [hashToken(token)],
    );
    return rows[0]?.id;
  }

  /** Ends the subscription of an unsubscribe token (it keeps working: a second call finds it ended). */
  async unsubscribe(token: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE subscriptions SET status = 'unsubscribed', ended_at = coalesce(ended_at, now()), email = NULL,
                                confirm_token_hash = NULL
        WHERE unsubscribe_token_hash = $1 RETURNING id`,
      [hashToken(token)],
    );
    if (rows.length) await this.pool.query('DELETE FROM subscription_watches WHERE subscription_id = $1', [rows[0].id]);
    return rows.length > 0;
  }

  /** Confirmation mails sent to this address in the last 24 hours. */
  async confirmationMailsToday(email: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM confirmation_mail_log WHERE address_hash = $1 AND sent_at > now() - interval '24 hours'`,
      [addressHash(email)],
    );
    return rows[0].n;
  }

  async logConfirmationMail(email: string): Promise<void> {
    await this.pool.query('INSERT INTO confirmation_mail_log (address_hash) VALUES ($1)', [addressHash(email)]);
  }

  /** Oldest first, `limit` at a time; `after` is the key of the last row of the previous page. */
  async list(limit: number, after?: CreationKey): Promise<KeysetPage<SubscriptionView, CreationKey>> {
    const { rows } = await this.pool.query(
      `SELECT s.id, s.email, s.status, s.types, s.created_at, s.confirmed_at,
              (extract(epoch FROM s.created_at) * 1000000)::bigint AS created_at_us,
              coalesce(array_agg(w.label ORDER BY w.label) FILTER (WHERE w.subject = 'person'), '{}') AS persons,
              coalesce(array_agg(w.label ORDER BY w.label) FILTER (WHERE w.subject = 'organization'), '{}') AS organizations
         FROM subscriptions s LEFT JOIN subscription_watches w ON w.subscription_id = s.id
        WHERE s.channel = 'email'
          AND ($2::bigint IS NULL OR (s.created_at, s.id) > (timestamptz 'epoch' + $2 * interval '1 microsecond', $3::uuid))
        GROUP BY s.id ORDER BY s.created_at, s.id LIMIT $1`,
      [limit + 1, after?.createdAtUs ?? null, after?.id ?? null],
    );
    return keysetPage(
      rows,
      limit,
      (r) => ({ createdAtUs: r.created_at_us, id: r.id }),
      (r) => ({
        id: r.id,
        email: r.email,
        status: r.status,
        types: r.types,
        watch: { persons: r.persons, organizations: r.organizations },
        createdAt: r.created_at,
        confirmedAt: r.confirmed_at,
      }),
    );
  }
}
