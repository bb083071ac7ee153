import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  inTransaction,
  LOCK_CLASS_CONFIRMATION_MAILS,
  PG_POOL,
  VIGIL_CONFIG,
  type CreationKey,
  type KeysetPage,
  type VigilConfig,
} from '@vigil/platform';
import { forgetSubscriberInDeliveries } from './deliveries';
import { holdOffRouting } from './erasure-lock';
import { SubscriberData } from './subscriber-data';
import { listSubscriptions } from './subscription-list';
import { hashToken } from './subscription-tokens';
import { deleteWatches, insertWatches } from './subscription-watches';
import type { IncidentTypeName, Watch } from './watch';
import { DEFAULT_VERIFICATION_THRESHOLD, type VerificationThreshold } from '@vigil/domain';

export interface NewEmailSubscription {
  email: string;
  watches: Watch[];
  types?: IncidentTypeName[];
  /** `reported` when absent. */
  minVerification?: VerificationThreshold;
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
  minVerification: VerificationThreshold;
  watch: { persons: string[]; organizations: string[] };
  createdAt: Date;
  confirmedAt: Date | null;
}

/** Never-confirmed subscriptions, often typed by someone else, are erased after this long. */
export const UNCONFIRMED_KEPT_DAYS = 7;

/**
 * The email subscriptions table and its watch lists. No address ever leaves through the event log; at
 * rest addresses and labels are sealed (SubscriberData), and erasure takes every trace in one transaction.
 */
/** A subscription row locked for erasure, with the sealed address its traces are found by. */
interface LockedSubscription {
  id: string;
  emailBox: string | null;
}

@Injectable()
export class EmailSubscriptions {
  private readonly data: SubscriberData;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: Pick<VigilConfig, 'secretsKey' | 'previousSecretsKeys'>,
  ) {
    this.data = new SubscriberData(config);
  }

  async create(subscription: NewEmailSubscription): Promise<string> {
    const id = randomUUID();
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO subscriptions (id, channel, email_box, email_index, status, types, confirm_token_hash,
                                    confirm_expires_at, unsubscribe_token_hash, unsubscribe_token_box, min_verification)
         VALUES ($1, 'email', $2, $8, 'pending', $3, $4, $5, $6, $7, $9)`,
        [
          id,
          this.data.sealAddress(id, subscription.email),
          subscription.types ?? null,
          subscription.confirmTokenHash,
          subscription.confirmExpiresAt,
          subscription.unsubscribeTokenHash,
          subscription.unsubscribeTokenBox,
          this.data.addressIndex(subscription.email),
          subscription.minVerification ?? DEFAULT_VERIFICATION_THRESHOLD,
        ],
      );
      await insertWatches(client, id, subscription.watches, this.data);
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
   * Ends the subscription of an unsubscribe token (it keeps working: a second call finds it ended). Every
   * trace of the subscriber goes in the same transaction (eraseTraces); the row stays, without them, so
   * the link answers again.
   */
  unsubscribe(token: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<LockedSubscription>(
        'SELECT id, email_box AS "emailBox" FROM subscriptions WHERE unsubscribe_token_hash = $1 FOR UPDATE',
        [hashToken(token)],
      );
      if (!rows.length) return false;
      await this.eraseTraces(client, rows[0]);
      await client.query(
        `UPDATE subscriptions SET status = 'unsubscribed', ended_at = coalesce(ended_at, now()), email_box = NULL,
                                  email_index = NULL, confirm_token_hash = NULL
          WHERE id = $1`,
        [rows[0].id],
      );
      return true;
    });
  }

  /** Erasure by an admin: the row goes, and every trace of the subscriber with it, in one transaction. */
  erase(id: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<LockedSubscription>(
        `SELECT id, email_box AS "emailBox" FROM subscriptions WHERE id = $1 AND channel = 'email' FOR UPDATE`,
        [id],
      );
      if (!rows.length) return false;
      await this.eraseTraces(client, rows[0]);
      await client.query('DELETE FROM subscriptions WHERE id = $1', [id]);
      return true;
    });
  }

  /**
   * Erases the subscriptions never confirmed within UNCONFIRMED_KEPT_DAYS, each in its own transaction,
   * and the confirmation-mail counts past their day. Returns how many subscriptions went.
   */
  async purgeUnconfirmed(now = new Date()): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM subscriptions
        WHERE status = 'pending' AND channel = 'email' AND created_at < $1::timestamptz - make_interval(days => $2)`,
      [now, UNCONFIRMED_KEPT_DAYS],
    );
    let erased = 0;
    for (const { id } of rows) if (await this.erase(id)) erased++;
    await this.pool.query(`DELETE FROM confirmation_mail_log WHERE sent_at < $1::timestamptz - interval '24 hours'`, [
      now,
    ]);
    return erased;
  }

  /**
   * In the caller's transaction, with the subscription's row locked, once routing under way is done
   * (holdOffRouting): the watch list, the mail-log counts
   * of its address (under the blind index of every key) and the copies in its deliveries (watch labels,
   * error texts) go. The row itself is the caller's, read with its address when it was locked.
   */
  private async eraseTraces(client: PoolClient, { id, emailBox }: LockedSubscription): Promise<void> {
    await holdOffRouting(client);
    if (emailBox) {
      await client.query('DELETE FROM confirmation_mail_log WHERE address_index = ANY($1::bytea[])', [
        this.data.addressIndexes(this.data.openAddress(id, emailBox)),
      ]);
    }
    await deleteWatches(client, id);
    await forgetSubscriberInDeliveries(client, id);
  }

  /**
   * Counts a confirmation mail to this address against its daily cap and, when it may go out, runs
   * `whenClaimed` (which records the mail) in the same transaction: the count and the mail stand or fall
   * together. Answers what `whenClaimed` answered, or undefined when the cap is reached. Two requests for one
   * address at once must not both pass the count: a transaction lock on the address's blind index makes the
   * second wait for the first's row before it counts.
   */
  claimConfirmationMail<T>(
    email: string,
    perDay: number,
    whenClaimed: (client: PoolClient) => Promise<T>,
  ): Promise<T | undefined> {
    const hash = this.data.addressIndex(email);
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext(encode($2::bytea, 'hex')))", [
        LOCK_CLASS_CONFIRMATION_MAILS,
        hash,
      ]);
      const { rowCount } = await client.query(
        `INSERT INTO confirmation_mail_log (address_index)
         SELECT $1 WHERE (SELECT count(*) FROM confirmation_mail_log
                           WHERE address_index = $1 AND sent_at > now() - interval '24 hours') < $2`,
        [hash, perDay],
      );
      return rowCount === 1 ? whenClaimed(client) : undefined;
    });
  }

  /** Oldest first, `limit` at a time; `after` is the key of the last row of the previous page. */
  async list(limit: number, after?: CreationKey): Promise<KeysetPage<SubscriptionView, CreationKey>> {
    const page = await listSubscriptions(this.pool, this.data, 'email', limit, after);
    return { ...page, items: page.items.map(({ url: _url, ...row }) => row) };
  }
}
