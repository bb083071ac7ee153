import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import type { Channel } from './delivery-queues';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

export interface DeliveryRow {
  id: string;
  channel: Channel;
  subscriptionId: string;
  incidentId: string;
  alertType: 'incident.recorded' | 'incident.confirmed' | 'incident.retracted';
  /** The incident and what it matched (the webhook body's data), and the watch entries it matched as the subscriber wrote them. */
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
  ${t}.alert_type AS "alertType", ${t}.payload, ${t}.status, ${t}.attempts, ${t}.last_error AS "lastError",
  ${t}.last_attempt_at AS "lastAttemptAt", ${t}.created_at AS "createdAt"`;
const COLUMNS = columnsOf('deliveries');

/** The deliveries table: the durable record of every alert and of what became of it. */
@Injectable()
export class Deliveries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async find(id: string): Promise<DeliveryRow | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries WHERE id = $1`, [id]);
    return rows[0];
  }

  /**
   * Counts a mail's try before it is made (a worker killed mid-send still leaves the try on record) and
   * returns the row with its recipient in the same round trip; undefined when it is no longer to send.
   */
  async startMailTry(
    id: string,
  ): Promise<
    | (DeliveryRow & { email: string | null; subscriptionStatus: string | null; unsubscribeTokenBox: string | null })
    | undefined
  > {
    const { rows } = await this.pool.query(
      `WITH d AS (
         UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = now()
          WHERE id = $1 AND status IN ('pending', 'failed') RETURNING *
       )
       SELECT ${columnsOf('d')}, s.email, s.status AS "subscriptionStatus", s.unsubscribe_token_box AS "unsubscribeTokenBox"
         FROM d LEFT JOIN subscriptions s ON s.id = d.subscription_id`,
      [id],
    );
    return rows[0];
  }

  /** Counts a try before it is made, so a worker killed mid-send still leaves the try on record. */
  async startAttempt(id: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ attempts: number }>(
      `UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = now()
        WHERE id = $1 AND status IN ('pending', 'failed') RETURNING attempts`,
      [id],
    );
    return rows[0]?.attempts;
  }

  /** `response`: what a webhook receiver answered (status and the first 64 KiB), kept for the admin. */
  async delivered(id: string, response?: { status: number; body: string }): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL,
              response_status = coalesce($2, response_status), response_body = coalesce($3, response_body)
        WHERE id = $1`,
      [id, response?.status ?? null, response?.body ?? null],
    );
  }

  /** 'failed' while tries remain (the row stays in the sweeper's sight), 'dead' after the last. */
  async failed(id: string, error: string, dead: boolean, response?: { status: number; body: string }): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET status = $2, last_error = $3,
              response_status = coalesce($4, response_status), response_body = coalesce($5, response_body)
        WHERE id = $1`,
      [id, dead ? 'dead' : 'failed', error.slice(0, 2000), response?.status ?? null, response?.body ?? null],
    );
  }

  /** An admin's retry of a dead or failed delivery: a fresh set of tries. */
  async reopen(id: string): Promise<DeliveryRow | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `UPDATE deliveries SET status = 'pending', attempts = 0, last_error = NULL WHERE id = $1 AND status IN ('dead', 'failed')
       RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  /** Rows still to send whose last try (or creation) is older than `olderThanMs`: candidates for the sweeper. */
  async unfinished(olderThanMs: number, limit: number): Promise<{ id: string; channel: Channel }[]> {
    const { rows } = await this.pool.query<{ id: string; channel: Channel }>(
      `SELECT id, channel FROM deliveries
        WHERE status IN ('pending', 'failed') AND coalesce(last_attempt_at, created_at) < now() - make_interval(secs => $1 / 1000.0)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows;
  }
}
