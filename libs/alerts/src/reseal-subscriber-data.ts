import type { Pool } from 'pg';
import { resealColumn, type VigilConfig } from '@vigil/platform';
import { resealWatchedLabels } from './deliveries';
import { SubscriberData } from './subscriber-data';

/**
 * Seals again with SECRETS_KEY whatever of the subscriptions' data SECRETS_KEY_PREVIOUS sealed, or the
 * older format, or was kept in clear before sealing existed: addresses (their blind index recomputed with
 * them), unsubscribe tokens, watch labels and their copies in deliveries, webhook secrets, the content of
 * confirmation mails still owed. Returns how
 * many values were sealed again. Run by the API at start (SealedDataRotation).
 */
export async function resealSubscriberData(
  pool: Pool,
  config: Pick<VigilConfig, 'secretsKey' | 'previousSecretsKeys'>,
): Promise<number> {
  const data = new SubscriberData(config);
  const byId = (id: string) => id;
  let resealed = 0;
  resealed += await resealColumn(pool, data.box, {
    table: 'subscriptions',
    rowKey: 'id',
    column: 'email_box',
    associatedData: byId,
    derived: (email) => ({ email_index: data.addressIndex(email) }),
  });
  resealed += await resealColumn(pool, data.box, {
    table: 'subscriptions',
    rowKey: 'id',
    column: 'unsubscribe_token_box',
  });
  resealed += await resealColumn(pool, data.box, {
    table: 'subscription_watches',
    rowKey: 'subscription_id',
    column: 'label',
    associatedData: byId,
  });
  resealed += await resealColumn(pool, data.box, { table: 'subscription_secrets', rowKey: 'id', column: 'sealed' });
  // What a confirmation mail still owed says (its link's token, the watch as asked): sealed until it is sent.
  resealed += await resealColumn(pool, data.box, { table: 'confirmation_mails', rowKey: 'id', column: 'content_box' });
  resealed += await resealWatchedLabels(pool, data, config.previousSecretsKeys.length > 0);
  return resealed;
}
