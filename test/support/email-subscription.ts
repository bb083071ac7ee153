import type { Pool } from 'pg';
import { latestConfirmationToken } from './confirmation-token';
import { mailsTo } from './mails-to';
import { tokenIn } from './mail-link';
import { readJson } from './read-json';
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
