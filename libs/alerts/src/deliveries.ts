import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  keysetPage,
  PG_POOL,
  VIGIL_CONFIG,
  WriteBatcher,
  type CreationKey,
  type KeysetPage,
  type SealedSecret,
  type VigilConfig,
} from '@vigil/platform';
import type { AlertType } from './alert-types';
import { deliveryPayloadOf } from './alert-payloads';
import { pageJobIds, type Channel, type QueuedDelivery } from './delivery-queues';
import type { MailContent, MailLanguage } from './mail-choices';
import { SubscriberData } from './subscriber-data';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

export interface DeliveryRow {
  id: string;
  channel: Channel;
  subscriptionId: string;
  incidentId: string;
  alertType: AlertType;
  /**
   * The incident and what it matched (the webhook body's data), and the watch entries it matched as the
   * subscriber wrote them: sealed at rest, opened by startMailTry. The incident is its alert's, stored once for
   * every row of the alert (alert-payloads.ts); the rest is the row's own.
   */
  payload: {
    incident: Record<string, unknown> & { id: string };
    matched: { persons: string[]; organizations: string[] };
    watched: string[];
  };
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
}

const columnsOf = (
  t: string,
) => `${t}.id, ${t}.channel, ${t}.subscription_id AS "subscriptionId", ${t}.incident_id AS "incidentId",
  ${t}.alert_type AS "alertType", ${deliveryPayloadOf(t)} AS payload, ${t}.status, ${t}.attempts, ${t}.last_error AS "lastError",
  ${t}.last_attempt_at AS "lastAttemptAt", ${t}.created_at AS "createdAt"`;
const COLUMNS = columnsOf('deliveries');

/** A try asked for: the row, and the job asking (see startMailTry). */
interface TryOf {
  id: string;
  owner: string;
}

/** What the admin list shows of a delivery: no payload, and when it was made and delivered. */
export type DeliveryListItem = Omit<DeliveryRow, 'payload'> & { deliveredAt: Date | null };

/** The admin list's filters; each one left out matches every row. */
export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: Channel;
  subscriptionId?: string;
  /** The alerts about one incident (the console's incident page lists them). */
  incidentId?: string;
}

/** A mail delivery about to be tried, with its recipient; null fields once the subscription is gone. */
export interface MailTry extends DeliveryRow {
  email: string | null;
  subscriptionStatus: string | null;
  unsubscribeTokenBox: string | null;
  /** The subscriber's choices: the mail's language, and whether it may name anyone (`full`) or not (`minimal`). */
  language: MailLanguage;
  content: MailContent;
}

/** A webhook delivery about to be tried, with where to send it; url and status are null once the subscription is gone. */
export interface WebhookTry extends DeliveryRow {
  url: string | null;
  subscriptionStatus: string | null;
  /** Every secret row of the subscription; SigningSecrets picks the ones that work now. */
  secrets: SealedSecret[];
}

/**
 * The deliveries table: the durable record of every alert and of what became of it. The statements of
 * every try are named, so each connection plans them once instead of on every delivery.
 */
@Injectable()
export class Deliveries {
  private readonly data: SubscriberData;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) config: Pick<VigilConfig, 'secretsKey' | 'previousSecretsKeys'>,
  ) {
    this.data = new SubscriberData(config);
  }

  async find(id: string): Promise<DeliveryRow | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Newest first, `limit` at a time; `after` is the key of the last row of the previous page. */
  async list(
    filter: DeliveryFilter,
    limit: number,
    after?: CreationKey,
  ): Promise<KeysetPage<DeliveryListItem, CreationKey>> {
    const { rows } = await this.pool.query<DeliveryListItem & { createdAtUs: number }>(
      `SELECT id, channel, subscription_id AS "subscriptionId", incident_id AS "incidentId", alert_type AS "alertType",
              status, attempts, last_error AS "lastError", last_attempt_at AS "lastAttemptAt", delivered_at AS "deliveredAt",
              created_at AS "createdAt", (extract(epoch FROM created_at) * 1000000)::bigint AS "createdAtUs"
         FROM deliveries
        WHERE ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR channel = $3)
          AND ($4::uuid IS NULL OR subscription_id = $4)
          AND ($7::uuid IS NULL OR incident_id = $7)
          AND ($5::bigint IS NULL OR (created_at, id) < (timestamptz 'epoch' + $5 * interval '1 microsecond', $6::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $1`,
      [
        limit + 1,
        filter.status ?? null,
        filter.channel ?? null,
        filter.subscriptionId ?? null,
        after?.createdAtUs ?? null,
        after?.id ?? null,
        filter.incidentId ?? null,
      ],
    );
    return keysetPage(
      rows,
      limit,
      ({ createdAtUs, id }) => ({ createdAtUs, id }),
      ({ createdAtUs: _createdAtUs, ...item }) => item,
    );
  }

  /**
   * Counts a mail's try before it is made (a worker killed mid-send still leaves the try on record) and
   * returns the row with its recipient in the same round trip; undefined when it is no longer to send.
   * Concurrent tries share one statement. The address and the watch labels, sealed at rest, are opened here.
   * `owner`: the job trying it (its page job, or the row's own whose id is the row's); a row is tried only by
   * the job its job_id names, so a page and a single job never both send it (decision 0023).
   */
  async startMailTry(id: string, owner = id): Promise<MailTry | undefined> {
    const row = await this.mailTries.submit({ id, owner });
    return row && openMailTry(this.data, row);
  }

  /**
   * The webhook twin of startMailTry: counts the try and returns the row with its target (URL, status and
   * sealed secrets); undefined when nothing is to send. Concurrent tries share one statement.
   */
  startWebhookTry(id: string): Promise<WebhookTry | undefined> {
    return this.webhookTries.submit({ id, owner: id });
  }

  /**
   * The latest alerts routed to a subscription, newest first, with the incident as it was sent: the manage page
   * shows them, so a subscriber with minimal mails reads the details behind the token and not in the mailbox.
   */
  async recentForSubscription(
    subscriptionId: string,
    limit: number,
  ): Promise<{ alertType: string; incident: Record<string, unknown>; createdAt: Date }[]> {
    const { rows } = await this.pool.query({
      name: 'deliveries-recent-for-subscription',
      text: `SELECT d.alert_type AS "alertType", ${deliveryPayloadOf('d')}->'incident' AS incident, d.created_at AS "createdAt"
               FROM deliveries d WHERE d.subscription_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      values: [subscriptionId, limit],
    });
    return rows;
  }

  /**
   * Takes back the try a stopping worker cut short before any answer came (startMailTry or
   * startWebhookTry counted it): the row is as it was before, and its job goes back to the queue.
   */
  async handBack(id: string): Promise<void> {
    await this.pool.query({
      name: 'deliveries-hand-back',
      text: `UPDATE deliveries SET attempts = attempts - 1
              WHERE id = $1 AND attempts > 0 AND status <> 'delivered' AND status <> 'dead'`,
      values: [id],
    });
  }

  /** `response`: what a webhook receiver answered (status and the first 64 KiB), kept for the admin. */
  delivered(id: string, response?: { status: number; body: string }): Promise<void> {
    return this.deliveredMarks.submit({ id, response });
  }

  private readonly mailTries = new WriteBatcher<TryOf, MailTry | undefined>((ids) =>
    this.startTries<MailTry>(
      ids,
      'deliveries-start-mail-tries',
      `SELECT ${columnsOf('d')}, s.email_box AS email, s.status AS "subscriptionStatus", s.unsubscribe_token_box AS "unsubscribeTokenBox",
              coalesce(s.language, 'en') AS language, coalesce(s.content, 'full') AS content
         FROM d LEFT JOIN LATERAL (SELECT * FROM subscriptions s WHERE s.id = d.subscription_id LIMIT 1) s ON true`,
    ),
  );

  private readonly webhookTries = new WriteBatcher<TryOf, WebhookTry | undefined>((ids) =>
    this.startTries<WebhookTry>(
      ids,
      'deliveries-start-webhook-tries',
      `SELECT ${columnsOf('d')}, s.url, s.status AS "subscriptionStatus",
              coalesce((SELECT json_agg(json_build_object('sealed', k.sealed, 'expiresAt', k.expires_at))
                          FROM subscription_secrets k WHERE k.subscription_id = d.subscription_id),
                       '[]') AS secrets
         FROM d LEFT JOIN LATERAL (SELECT * FROM subscriptions s
                                    WHERE s.id = d.subscription_id AND s.channel = 'webhook' LIMIT 1) s ON true`,
    ),
  );

  /**
   * Counts a try on each row still to send (`d` in `select`) and reads what sending needs. One try per
   * row: should an id come twice in a batch, only its first caller sends.
   * Rows are found by id and their subscription by LATERAL probe, so the plan made once per connection
   * stays index lookups however small the tables were then. "Still to send" is written as "neither
   * delivered nor dead" on purpose: `status IN ('pending', 'failed')` matches the partial index of
   * unfinished rows, and a plan made on a young table reads that whole index, which grows with the backlog.
   */
  private async startTries<Row extends DeliveryRow>(
    tries: TryOf[],
    name: string,
    select: string,
  ): Promise<(Row | undefined)[]> {
    const { rows } = await this.pool.query<Row>({
      name,
      // The owner is compared with the id as one text, so that each row is paired with the job asking for it.
      text: `WITH d AS (
         UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = now()
          WHERE id = ANY($1::uuid[]) AND (id::text || '/' || coalesce(job_id, id::text)) = ANY($2::text[])
            AND status <> 'delivered' AND status <> 'dead' RETURNING *
       )
       ${select}`,
      values: [tries.map((t) => t.id), tries.map((t) => `${t.id}/${t.owner}`)],
    });
    const started = new Map(rows.map((row) => [row.id, row]));
    return tries.map(({ id }) => {
      const row = started.get(id);
      started.delete(id);
      return row;
    });
  }

  private readonly deliveredMarks = new WriteBatcher<{ id: string; response?: { status: number; body: string } }, void>(
    async (marks) => {
      await this.pool.query({
        // Unnamed, so planned for each batch: a join with the arrays, planned once on a young table, may
        // stay a scan of every delivery (the batch amortises the planning).
        text: `UPDATE deliveries d SET status = 'delivered', delivered_at = now(), last_error = NULL,
                    response_status = coalesce(v.status, d.response_status), response_body = coalesce(v.body, d.response_body)
               FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(id, status, body)
              WHERE d.id = v.id`,
        values: [
          marks.map((m) => m.id),
          marks.map((m) => m.response?.status ?? null),
          marks.map((m) => m.response?.body ?? null),
        ],
      });
      return marks.map(() => undefined);
    },
  );

  /** 'failed' while tries remain (the row stays in the sweeper's sight), 'dead' after the last. */
  async failed(id: string, error: string, dead: boolean, response?: { status: number; body: string }): Promise<void> {
    await this.pool.query({
      name: 'deliveries-failed',
      text: `UPDATE deliveries SET status = $2, last_error = $3,
                    response_status = coalesce($4, response_status), response_body = coalesce($5, response_body)
              WHERE id = $1`,
      values: [id, dead ? 'dead' : 'failed', error.slice(0, 2000), response?.status ?? null, response?.body ?? null],
    });
  }

  /**
   * An admin's retry of a dead or failed delivery: a fresh set of tries. The row is reopened and committed
   * first, then `queue` runs: a worker takes the job up at once, and a try reads only committed rows (one that
   * ran before the commit would find the row dead and end the job, leaving the delivery to the sweeper).
   * Should `queue` fail (Redis away), the row is put back as it was unless a try has begun since, and the
   * error is thrown: the retry changed nothing. A job that `queue` added late finds the row put back and does
   * nothing. Undefined (and `queue` not called) when the row is missing or not dead or failed. The
   * row gets its own job (job_id NULL): a page still retrying its other rows no longer tries it.
   */
  async reopen(id: string, queue: (row: DeliveryRow) => Promise<void>): Promise<DeliveryRow | undefined> {
    const { rows } = await this.pool.query<
      DeliveryRow & { was: Pick<DeliveryRow, 'status' | 'attempts' | 'lastError'> }
    >(
      `UPDATE deliveries d SET status = 'pending', attempts = 0, last_error = NULL, job_id = NULL
         FROM (SELECT id, status, attempts, last_error FROM deliveries
                WHERE id = $1 AND status IN ('dead', 'failed') FOR UPDATE) was
        WHERE d.id = was.id
        RETURNING ${columnsOf('d')},
                  json_build_object('status', was.status, 'attempts', was.attempts, 'lastError', was.last_error) AS was`,
      [id],
    );
    const [reopened] = rows;
    if (!reopened) return undefined;
    const { was, ...row } = reopened;
    try {
      await queue(row);
    } catch (error) {
      // Should this fail too, the row stays pending and the sweeper queues it once Redis is back.
      await this.pool
        .query(
          `UPDATE deliveries SET status = $2, attempts = $3, last_error = $4 WHERE id = $1 AND status = 'pending' AND attempts = 0`,
          [id, was.status, was.attempts, was.lastError],
        )
        .catch(() => undefined);
      throw error;
    }
    return row;
  }

  /** See takeOverOrphans. */
  takeOver(orphans: (StaleDelivery & { owner: string })[]): Promise<QueuedDelivery[]> {
    return takeOverOrphans(this.pool, orphans);
  }

  /** Rows still to send whose last try (or creation) is older than `olderThanMs`: candidates for the sweeper. */
  async unfinished(olderThanMs: number, limit: number): Promise<StaleDelivery[]> {
    const { rows } = await this.pool.query<StaleDelivery>(
      `SELECT id, channel, subscription_id AS "subscriptionId", job_id AS "jobId", attempts FROM deliveries
        WHERE status IN ('pending', 'failed') AND coalesce(last_attempt_at, created_at) < now() - make_interval(secs => $1 / 1000.0)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows;
  }
}

/** A row the sweeper found untouched for a while, with the count of tries it had then. */
export type StaleDelivery = QueuedDelivery & { attempts: number };

/**
 * Gives rows whose job is lost new jobs (the sweeper's orphans), mail rows in pages: each row only while its
 * job is still the lost one (`ownerOf`), it is still to send, and it has had no try since the sweeper saw it
 * stale (its `attempts` as then), so that two sweepers, or a sweeper and an admin retry, never give one row
 * two jobs, and a row its lost job's worker took in hand meanwhile (Redis restarted empty under a page still
 * being sent: the worker goes on with it) is left to that worker. The try and this statement lock the row, so
 * one of them comes first: after a try here, the try's worker sends; after a take-over, its claim finds
 * another owner. Returns the rows taken over, with their new jobs.
 */
export async function takeOverOrphans(
  pool: Pool,
  orphans: (StaleDelivery & { owner: string })[],
): Promise<QueuedDelivery[]> {
  if (!orphans.length) return [];
  const { rows } = await pool.query<QueuedDelivery>(
    `UPDATE deliveries d SET job_id = v.job
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS v(id, owner, job, attempts)
      WHERE d.id = v.id AND coalesce(d.job_id, d.id::text) = v.owner AND d.status IN ('pending', 'failed')
        AND d.attempts = v.attempts
     RETURNING d.id, d.channel, d.subscription_id AS "subscriptionId", d.job_id AS "jobId"`,
    [orphans.map((o) => o.id), orphans.map((o) => o.owner), pageJobIds(orphans), orphans.map((o) => o.attempts)],
  );
  return rows;
}

/** A mail try as read holds the address and the labels sealed: this opens them, with the subscription's id. */
function openMailTry(data: SubscriberData, row: MailTry): MailTry {
  const id = row.subscriptionId;
  return {
    ...row,
    email: row.email === null ? null : data.openAddress(id, row.email),
    payload: { ...row.payload, watched: (row.payload.watched ?? []).map((label) => data.openLabel(id, label)) },
  };
}

/**
 * Part of erasing a subscriber, in the caller's transaction: its deliveries keep the record of what was
 * sent (the incident, the outcome) but lose the copies of its watch labels and any error text, which may
 * quote its address. The incident, stored once per alert in alert_payloads, holds nothing of any subscriber
 * (alert-payloads.ts) and is left as it is.
 */
export async function forgetSubscriberInDeliveries(client: PoolClient, subscriptionId: string): Promise<void> {
  await client.query(
    `UPDATE deliveries SET payload = payload - 'watched', last_error = NULL, response_body = NULL
      WHERE subscription_id = $1`,
    [subscriptionId],
  );
}

/**
 * Seals again with the current key the watch labels copied into deliveries (SECRETS_KEY rotation, or
 * labels in clear from before sealing). Rows still to send always; every row when `everyRow` (a
 * rotation: the finished rows' copies feed the confirmation and retraction alerts), by id, 500 at a time.
 */
export async function resealWatchedLabels(pool: Pool, data: SubscriberData, everyRow: boolean): Promise<number> {
  let resealed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await pool.query<{ id: string; subscriptionId: string; watched: string[] }>(
      `SELECT id, subscription_id AS "subscriptionId", payload->'watched' AS watched FROM deliveries
        WHERE id > $2 AND ${everyRow ? 'true' : `status IN ('pending', 'failed')`} AND payload ? 'watched'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(payload->'watched') l WHERE l NOT LIKE $1)
        ORDER BY id LIMIT 500`,
      [data.box.currentSealPattern, after],
    );
    for (const { id, subscriptionId, watched } of rows) {
      const again = watched.map((label) => data.sealLabel(subscriptionId, data.openLabel(subscriptionId, label)));
      await pool.query(
        `UPDATE deliveries SET payload = jsonb_set(payload, '{watched}', $3::jsonb)
          WHERE id = $1 AND payload->'watched' = $2::jsonb`,
        [id, JSON.stringify(watched), JSON.stringify(again)],
      );
      resealed++;
    }
    if (rows.length < 500) return resealed;
    after = rows[rows.length - 1].id;
  }
}
