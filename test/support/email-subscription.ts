import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { nameKey } from '@vigil/domain';
import { SecretBox, type VigilConfig } from '@vigil/platform';
import { latestConfirmationToken } from './confirmation-token';
import { mailsTo } from './mails-to';
import { tokenIn } from './mail-link';
import { readJson } from './read-json';
import { addressIndexOf, sealedAddress, sealedLabel } from './subscriber-data';
import type { TestApi } from './test-api';
import type { TestSmtpServer } from './test-smtp-server';
import { waitFor } from './wait-for';

/** A body of POST /v1/subscriptions (docs/api.md): an address, a watch list and the subscriber's choices. */
export type SubscribeBody = { email: string } & Record<string, unknown>;

/** Asks for an email subscription as a visitor would (POST /v1/subscriptions); throws unless it is answered 202. */
export async function requestSubscription(api: TestApi, body: SubscribeBody): Promise<void> {
  const response = await api.request('/v1/subscriptions', { method: 'POST', json: body });
  if (response.status !== 202) throw new Error(`subscription not accepted: ${response.status}`);
}

/** Asks for a subscription and returns the token of the confirmation mail it brings to the test SMTP server. */
export async function subscribeByEmail(api: TestApi, smtp: TestSmtpServer, body: SubscribeBody): Promise<string> {
  const before = mailsTo(smtp, body.email).length;
  await requestSubscription(api, body);
  const mail = await waitFor(() => mailsTo(smtp, body.email)[before], { what: `confirmation mail to ${body.email}` });
  return tokenIn(mail, '/v1/subscriptions/confirm');
}

/** Confirms with a mailed token (POST /v1/subscriptions/confirm); throws unless answered 200. */
export async function confirmSubscription(
  api: TestApi,
  token: string,
): Promise<{ status: string; subscriptionId: string }> {
  const response = await api.request('/v1/subscriptions/confirm', { method: 'POST', json: { token } });
  if (response.status !== 200) throw new Error(`subscription not confirmed: ${response.status}`);
  return readJson(response);
}

/** Subscribes and confirms from the mail, as a watcher does: the id of the active subscription. */
export async function watchByEmail(api: TestApi, smtp: TestSmtpServer, body: SubscribeBody): Promise<string> {
  return active(await confirmSubscription(api, await subscribeByEmail(api, smtp, body)));
}

/**
 * Subscribes and confirms with the token read from the confirmation mail's row (`latestConfirmationToken`), for
 * suites whose worker must not send that mail: the id of the active subscription.
 */
export async function watchByEmailUnmailed(
  suite: { api: TestApi; db: { pool: Pool }; config: { secretsKey: string } },
  body: SubscribeBody,
): Promise<string> {
  await requestSubscription(suite.api, body);
  const token = await latestConfirmationToken(suite.db.pool, suite.config.secretsKey);
  return active(await confirmSubscription(suite.api, token));
}

function active(confirmed: { status: string; subscriptionId: string }): string {
  if (confirmed.status !== 'active') throw new Error(`subscription not active: ${confirmed.status}`);
  return confirmed.subscriptionId;
}

/**
 * `count` confirmed email subscriptions watching the person `watched`, written straight into the tables as the
 * confirm route leaves them (address and label sealed, address indexed), at `${prefix}-${n}@example.org`: a
 * fan-out's audience in one statement, for the tests that need hundreds of watchers.
 */
export async function seedMailWatchers(
  stack: { db: { pool: Pool }; config: VigilConfig },
  { count, watched, prefix }: { count: number; watched: string; prefix: string },
): Promise<void> {
  const sealed = new SecretBox(stack.config.secretsKey).seal(`${prefix}-unsubscribe-token`);
  const ids = Array.from({ length: count }, () => randomUUID());
  const emails = ids.map((_, g) => `${prefix}-${g}@example.org`);
  await stack.db.pool.query(
    `WITH s AS (
       INSERT INTO subscriptions (id, channel, email_box, email_index, status, confirmed_at, unsubscribe_token_hash,
                                  unsubscribe_token_box)
       SELECT id, 'email', box, index, 'active', now(), decode(md5(random()::text || id::text), 'hex'), $4
         FROM unnest($1::uuid[], $2::text[], $3::bytea[]) AS t(id, box, index) RETURNING id)
     INSERT INTO subscription_watches (subscription_id, subject, key, label)
     SELECT s.id, 'person', $5, l.label FROM s JOIN unnest($1::uuid[], $6::text[]) AS l(id, label) ON l.id = s.id`,
    [
      ids,
      ids.map((id, g) => sealedAddress(id, emails[g])),
      emails.map(addressIndexOf),
      sealed,
      nameKey(watched),
      ids.map((id) => sealedLabel(id, watched)),
    ],
  );
}
