import type { Pool } from 'pg';
import { keysetPage, type CreationKey, type KeysetPage } from '@vigil/platform';

/** One subscription of a channel as the admin lists show it: its state and the labels of its watch list. */
export interface SubscriptionListRow {
  id: string;
  email: string | null;
  url: string | null;
  status: string;
  types: string[] | null;
  createdAt: Date;
  confirmedAt: Date | null;
  watch: { persons: string[]; organizations: string[] };
}

/**
 * The admin list of one channel's subscriptions, oldest first, `limit` at a time after the key of the
 * previous page's last row. The key keeps created_at's microseconds (see keyset-page.ts).
 */
export async function listSubscriptions(
  pool: Pool,
  channel: 'email' | 'webhook',
  limit: number,
  after?: CreationKey,
): Promise<KeysetPage<SubscriptionListRow, CreationKey>> {
  const { rows } = await pool.query(
    `SELECT s.id, s.email, s.url, s.status, s.types, s.created_at, s.confirmed_at,
            (extract(epoch FROM s.created_at) * 1000000)::bigint AS created_at_us,
            coalesce(array_agg(w.label ORDER BY w.label) FILTER (WHERE w.subject = 'person'), '{}') AS persons,
            coalesce(array_agg(w.label ORDER BY w.label) FILTER (WHERE w.subject = 'organization'), '{}') AS organizations
       FROM subscriptions s LEFT JOIN subscription_watches w ON w.subscription_id = s.id
      WHERE s.channel = $4
        AND ($2::bigint IS NULL OR (s.created_at, s.id) > (timestamptz 'epoch' + $2 * interval '1 microsecond', $3::uuid))
      GROUP BY s.id ORDER BY s.created_at, s.id LIMIT $1`,
    [limit + 1, after?.createdAtUs ?? null, after?.id ?? null, channel],
  );
  return keysetPage(
    rows,
    limit,
    (r) => ({ createdAtUs: r.created_at_us, id: r.id }),
    (r) => ({
      id: r.id,
      email: r.email,
      url: r.url,
      status: r.status,
      types: r.types,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
      watch: { persons: r.persons, organizations: r.organizations },
    }),
  );
}
