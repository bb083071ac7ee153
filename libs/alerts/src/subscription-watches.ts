import type { PoolClient } from 'pg';
import type { SubscriberData } from './subscriber-data';
import type { Watch } from './watch';

/**
 * Writes a subscription's watch list, inside the transaction that creates the subscription: email and
 * webhook subscriptions keep their watches in the same table, the same way. Labels are sealed; the name
 * keys routing joins on stay in clear and go with the subscription (docs/decisions/0012-subscriber-data-sealed-and-erased.md).
 */
export async function insertWatches(
  client: PoolClient,
  subscriptionId: string,
  watches: Watch[],
  data: SubscriberData,
): Promise<void> {
  await client.query(
    `INSERT INTO subscription_watches (subscription_id, subject, subject_id, key, label)
     SELECT $1, subject, subject_id, key, label
       FROM jsonb_to_recordset($2::jsonb) AS w(subject text, subject_id uuid, key text, label text)`,
    [
      subscriptionId,
      JSON.stringify(
        watches.map((w) => ({
          subject: w.subject,
          subject_id: w.subjectId ?? null,
          key: w.key ?? null,
          label: data.sealLabel(subscriptionId, w.label),
        })),
      ),
    ],
  );
}

/** Forgets who a subscription watched: what someone watches says who they are close to. */
export async function deleteWatches(client: PoolClient, subscriptionId: string): Promise<void> {
  await client.query('DELETE FROM subscription_watches WHERE subscription_id = $1', [subscriptionId]);
}
