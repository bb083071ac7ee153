import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  inTransaction,
  LOCK_CLASS_CONFIRMATION_MAILS,
  PG_POOL,
  type CreationKey,
  type KeysetPage,
} from '@vigil/platform';
import { listSubscriptions } from './subscription-list';
import { addressHash, hashToken } from './subscription-tokens';
import { deleteWatches, insertWatches } from './subscription-watches';
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
  /** Null once the subscriber unsubscribed: the address is erased then. */
  email: string | null;
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
    await inTransaction(this.pool, async (client) => {
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
      await insertWatches(client, id, subscription.watches);
    });
    return id;
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

  /**
   * Ends the subscription of an unsubscribe token (it keeps working: a second call finds it ended). The
   * address and the watch list go in the same transaction, so neither outlives the other.
   */
  unsubscribe(token: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `UPDATE subscriptions SET status = 'unsubscribed', ended_at = coalesce(ended_at, now()), email = NULL,
                                  confirm_token_hash = NULL
          WHERE unsubscribe_token_hash = $1 RETURNING id`,
        [hashToken(token)],
      );
      if (rows.length) await deleteWatches(client, rows[0].id);
      return rows.length > 0;
    });
  }

  /** Erasure by an admin: the row goes, and its watch list with it (ON DELETE CASCADE); deliveries keep only its id. */
  async erase(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM subscriptions WHERE id = $1 AND channel = 'email'`, [id]);
    return rowCount === 1;
  }

  /**
   * Counts a confirmation mail to this address against its daily cap and says whether it may go out. Two
   * requests for one address at once must not both pass the count: a transaction lock on the address's hash
   * makes the second wait for the first's row before it counts.
   */
  claimConfirmationMail(email: string, perDay: number): Promise<boolean> {
    const hash = addressHash(email);
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext(encode($2::bytea, 'hex')))", [
        LOCK_CLASS_CONFIRMATION_MAILS,
        hash,
      ]);
      const { rowCount } = await client.query(
        `INSERT INTO confirmation_mail_log (address_hash)
         SELECT $1 WHERE (SELECT count(*) FROM confirmation_mail_log
                           WHERE address_hash = $1 AND sent_at > now() - interval '24 hours') < $2`,
        [hash, perDay],
      );
      return rowCount === 1;
    });
  }

  /** Oldest first, `limit` at a time; `after` is the key of the last row of the previous page. */
  async list(limit: number, after?: CreationKey): Promise<KeysetPage<SubscriptionView, CreationKey>> {
    const page = await listSubscriptions(this.pool, 'email', limit, after);
    return { ...page, items: page.items.map(({ url: _url, ...row }) => row) };
  }
}
