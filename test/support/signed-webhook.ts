import { createHmac, randomUUID } from 'node:crypto';
import { readJson } from './read-json';
import type { TestApi } from './test-api';

/**
 * Signs as a partner would, straight from the Standard Webhooks text (HMAC-SHA256 of
 * "{id}.{timestamp}.{body}" keyed with the base64 part of the secret), independent of the app's code.
 */
export function signedHeaders(secret: string, body: string, options: { id?: string; timestamp?: number } = {}) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

export async function createSource(api: TestApi, name = 'Test Monitor'): Promise<{ id: string; secret: string }> {
  const response = await api.request('/v1/admin/sources', { method: 'POST', admin: true, json: { name } });
  if (response.status !== 201) throw new Error(`source not created: ${response.status}`);
  return response.json() as Promise<{ id: string; secret: string }>;
}

/** POSTs a report to the partner webhook, signed with the source's secret (the exact bytes sent). */
export function postSigned(
  api: TestApi,
  source: { id: string; secret: string },
  report: unknown,
  options: { id?: string; timestamp?: number } = {},
) {
  const body = JSON.stringify(report);
  return api.request(`/v1/webhooks/incidents/${source.id}`, {
    method: 'POST',
    body,
    headers: signedHeaders(source.secret, body, options),
  });
}

/** A report posted as `postSigned` does, with the answer read: its status and JSON body. */
export async function postReport(api: TestApi, source: { id: string; secret: string }, report: unknown) {
  const response = await postSigned(api, source, report);
  return { status: response.status, body: await readJson(response) };
}

/** A report the partner's webhook accepts (any 2xx: recorded, corroborated, disputed …): its incident's id. */
export async function reportIncident(
  api: TestApi,
  source: { id: string; secret: string },
  report: unknown,
): Promise<string> {
  const { status, body } = await postReport(api, source, report);
  expect(status).toBeLessThan(300);
  return body.incidentId;
}
