import type { MailLanguage } from './mail-choices';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { SubscriberData } from './subscriber-data';

/** What a confirmation mail says, sealed in its row: the link's token, and the watch and types as asked. */
export interface ConfirmationContent {
  token: string;
  watch: { persons: string[]; organizations: string[] };
  types?: string[];
  /** The language the subscriber chose; English for mails recorded before there was a choice. */
  language?: MailLanguage;
}

/** A confirmation mail about to be tried, with its recipient; null fields once the subscription is gone. */
export interface ConfirmationTry {
  id: string;
  subscriptionId: string;
  attempts: number;
  contentBox: string;
  email: string | null;
  subscriptionStatus: string | null;
}

/**
 * The confirmation_mails table: the durable record of each confirmation mail owed and of what became of
 * it, as `deliveries` is for alerts. Its job in the mail queue has the row id as job id.
 */
@Injectable()
export class ConfirmationMails {
  private readonly data: SubscriberData;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: Pick<VigilConfig, 'secretsKey' | 'previousSecretsKeys'>,
  ) {
    this.data = new SubscriberData(config);
  }

  /** Records a confirmation mail owed; `db` is the transaction that counted it against the daily cap. */
  async create(subscriptionId: string, contentBox: string, db: Pool | PoolClient = this.pool): Promise<string> {
    const id = randomUUID();
    await db.query(`INSERT INTO confirmation_mails (id, subscription_id, content_box) VALUES ($1, $2, $3)`, [
      id,
      subscriptionId,
      contentBox,
    ]);
    return id;
  }

  /**
   * Counts a try before it is made and reads what sending needs; undefined when nothing is to send. The
   * only statement that reads a confirmation mail's address.
   */
  async startTry(id: string): Promise<ConfirmationTry | undefined> {
    const { rows } = await this.pool.query<Omit<ConfirmationTry, 'email'> & { emailBox: string | null }>({
      name: 'confirmation-mails-start-try',
      text: `WITH c AS (
         UPDATE confirmation_mails SET attempts = attempts + 1, last_attempt_at = now()
          WHERE id = $1 AND status IN ('pending', 'failed') AND content_box IS NOT NULL RETURNING *
       )
       SELECT c.id, c.subscription_id AS "subscriptionId", c.attempts, c.content_box AS "contentBox",
              s.email_box AS "emailBox", s.status AS "subscriptionStatus"
         FROM c LEFT JOIN subscriptions s ON s.id = c.subscription_id`,
      values: [id],
    });
    const row = rows[0];
    if (!row) return undefined;
    // The address is sealed with its subscription's id; it is opened here and nowhere else for this mail.
    const { emailBox, ...rest } = row;
    return { ...rest, email: emailBox === null ? null : this.data.openAddress(row.subscriptionId, emailBox) };
  }

  /** The sealed content goes with the outcome: the token then lives only as the subscription's hash. */
  async delivered(id: string): Promise<void> {
    await this.pool.query({
      name: 'confirmation-mails-delivered',
      text: `UPDATE confirmation_mails SET status = 'delivered', delivered_at = now(), last_error = NULL, content_box = NULL
              WHERE id = $1`,
      values: [id],
    });
  }

  async failed(id: string, error: string, dead: boolean): Promise<void> {
    await this.pool.query({
      name: 'confirmation-mails-failed',
      text: `UPDATE confirmation_mails SET status = $2, last_error = $3,
                    content_box = CASE WHEN $2 = 'dead' THEN NULL ELSE content_box END
              WHERE id = $1`,
      values: [id, dead ? 'dead' : 'failed', error.slice(0, 2000)],
    });
  }

  /** Takes back a try a stopping worker cut short (see Deliveries.handBack). */
  async handBack(id: string): Promise<void> {
    await this.pool.query({
      name: 'confirmation-mails-hand-back',
      text: `UPDATE confirmation_mails SET attempts = attempts - 1
              WHERE id = $1 AND attempts > 0 AND status IN ('pending', 'failed')`,
      values: [id],
    });
  }

  /** Ids of rows still to send whose last try (or creation) is older than `olderThanMs`: for the sweeper. */
  async unfinished(olderThanMs: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM confirmation_mails
        WHERE status IN ('pending', 'failed') AND coalesce(last_attempt_at, created_at) < now() - make_interval(secs => $1 / 1000.0)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((row) => row.id);
  }
}
