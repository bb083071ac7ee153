import { readJson } from './read-json';
import type { TestApi } from './test-api';

/** A body of POST /v1/admin/webhook-subscriptions (docs/api.md): the receiver's URL and what it watches. */
export interface WebhookSubscriptionBody {
  url: string;
  watch: { persons?: string[]; organizations?: string[] };
  [field: string]: unknown;
}

/** A partner's webhook subscription, made by the admin API; throws unless answered 201. Its id and secret. */
export async function watchByWebhook(
  api: TestApi,
  body: WebhookSubscriptionBody,
): Promise<{ id: string; secret: string }> {
  const response = await api.request('/v1/admin/webhook-subscriptions', { method: 'POST', admin: true, json: body });
  if (response.status !== 201) throw new Error(`webhook subscription not created: ${response.status}`);
  return readJson(response);
}
