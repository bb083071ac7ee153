import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com/), symmetric `v1` signatures: HMAC-SHA256 over
 * "{id}.{timestamp}.{body}", keyed with the base64 part of a `whsec_` secret. Pure (no clock, no I/O), so
 * it can move to a lib unchanged when the outgoing webhooks (libs/delivery, which may not import apps) sign with it.
 */

export type WebhookVerificationFailure = 'missing_headers' | 'stale_timestamp' | 'bad_signature';

/** Why a signed request was refused. The message is safe to show the caller. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    readonly reason: WebhookVerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedWebhook {
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` as received (absent when not sent). */
  id: string | undefined;
  timestamp: string | undefined;
  signatureHeader: string | undefined;
  /** The exact bytes received: a re-serialised body does not verify. */
  rawBody: Buffer;
  /** Every secret that may have signed it (the current one and a rotated-out one still valid). */
  secrets: string[];
  now: Date;
  toleranceSeconds?: number;
}

const SECRET_PREFIX = 'whsec_';
const UNIX_SECONDS = /^\d{1,12}$/;

function hmac(id: string, timestamp: string, body: Buffer | string, secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The `webhook-signature` value for one secret: `v1,<base64>`. */
export function signStandardWebhook(
  id: string,
  timestamp: number | string,
  body: Buffer | string,
  secret: string,
): string {
  return `v1,${hmac(id, String(timestamp), body, secret).toString('base64')}`;
}

/** Returns when one `v1` signature matches one of the secrets; throws WebhookVerificationError otherwise. */
export function verifyStandardWebhook({
  id,
  timestamp,
  signatureHeader,
  rawBody,
  secrets,
  now,
  toleranceSeconds = 300,
}: SignedWebhook): void {
  if (!id || !timestamp || !signatureHeader) {
    throw new WebhookVerificationError(
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  if (!UNIX_SECONDS.test(timestamp)) {
    throw new WebhookVerificationError('missing_headers', 'webhook-timestamp must be unix seconds');
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    throw new WebhookVerificationError(
      'stale_timestamp',
      `webhook-timestamp is more than ${toleranceSeconds} seconds off`,
    );
  }
  // Other versions (v1a: asymmetric) are not ours to check; they neither pass nor fail a request.
  const given = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = hmac(id, timestamp, rawBody, secret);
    // timingSafeEqual needs equal lengths; a length differs only for garbage, which says nothing about the secret.
    if (given.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected))) return;
  }
  throw new WebhookVerificationError('bad_signature', 'no valid signature for this source');
}
