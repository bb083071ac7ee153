import type { Pool } from 'pg';
import { keysetPage, type CreationKey, type KeysetPage } from '@vigil/platform';
import type { VerificationThreshold } from '@vigil/domain';
import type { SubscriberData } from './subscriber-data';

/** One subscription of a channel as the admin lists show it: its state and the labels of its watch list. */
export interface SubscriptionListRow {
  id: string;
  email: string | null;
  url: string | null;
  status: string;
  types: string[] | null;
  minVerification: VerificationThreshold;
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
  data: SubscriberData,
  channel: 'email' | 'webhook',
  limit: number,
  after?: CreationKey,
): Promise<KeysetPage<SubscriptionListRow, CreationKey>> {
  const { rows } = await pool.query(
    `SELECT s.id, s.email_box, s.url, s.status, s.types, s.min_verification, s.created_at, s.confirmed_at,
            (extract(epoch FROM s.created_at) * 1000000)::bigint AS created_at_us,
            coalesce(array_agg(w.label) FILTER (WHERE w.subject = 'person'), '{}') AS persons,
            coalesce(array_agg(w.label) FILTER (WHERE w.subject = 'organization'), '{}') AS organizations
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
      email: r.email_box === null ? null : data.openAddress(r.id, r.email_box),
      url: r.url,
      status: r.status,
      types: r.types,
      minVerification: r.min_verification,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
      // Sealed labels sort by nothing meaningful: they are sorted once opened.
      watch: { persons: openSorted(data, r.id, r.persons), organizations: openSorted(data, r.id, r.organizations) },
    }),
  );
}

const openSorted = (data: SubscriberData, id: string, labels: string[]): string[] =>
  labels.map((label) => data.openLabel(id, label)).sort((a, b) => a.localeCompare(b));
