import { createHmac, randomBytes } from 'node:crypto';
import {
  signStandardWebhook,
  verifyStandardWebhook,
  WebhookVerificationError,
  type SignedWebhook,
} from './standard-webhook';

/**
 * The example of the Standard Webhooks specification, as its reference libraries (svix, standardwebhooks)
 * test it: a signature we did not compute ourselves.
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR = new Date(1614265330 * 1000);

const vectorRequest = (overrides: Partial<SignedWebhook> = {}): SignedWebhook => ({
  id: VECTOR.id,
  timestamp: VECTOR.timestamp,
  signatureHeader: VECTOR.signature,
  rawBody: Buffer.from(VECTOR.body),
  secrets: [VECTOR.secret],
  now: AT_VECTOR,
  ...overrides,
});

const failure = (request: SignedWebhook): string | undefined => {
  try {
    verifyStandardWebhook(request);
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
};

describe(verifyStandardWebhook.name, () => {
  it('accepts the example of the specification', () => {
    expect(failure(vectorRequest())).toBeUndefined();
  });

  it('refuses the example with one byte of the body changed (the raw bytes are what is signed)', () => {
    expect(failure(vectorRequest({ rawBody: Buffer.from('{"test":2432232314}') }))).toBe('bad_signature');
    expect(failure(vectorRequest({ rawBody: Buffer.from('{"test": 2432232315}') }))).toBe('bad_signature');
  });

  it('refuses a signature made with another secret, or for another id or timestamp', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(failure(vectorRequest({ secrets: [other] }))).toBe('bad_signature');
    expect(failure(vectorRequest({ id: 'msg_other' }))).toBe('bad_signature');
    expect(failure(vectorRequest({ timestamp: '1614265331' }))).toBe('bad_signature');
    expect(failure(vectorRequest({ secrets: [] }))).toBe('bad_signature');
  });

  it('accepts when any one of several signatures matches any one of several secrets', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const header = `v1a,c29tZXRoaW5nIGVsc2U= v1,${Buffer.alloc(32).toString('base64')} ${VECTOR.signature} v1,!!`;
    expect(failure(vectorRequest({ signatureHeader: header, secrets: [other, VECTOR.secret] }))).toBeUndefined();
  });

  it('ignores signatures of other versions', () => {
    const digest = VECTOR.signature.slice(3);
    expect(failure(vectorRequest({ signatureHeader: `v1a,${digest} v2,${digest}` }))).toBe('bad_signature');
  });

  it.each([
    ['webhook-id', { id: undefined }],
    ['webhook-timestamp', { timestamp: undefined }],
    ['webhook-signature', { signatureHeader: undefined }],
    ['an empty webhook-id', { id: '' }],
    ['a timestamp in milliseconds with a fraction', { timestamp: '1614265330.5' }],
    ['a timestamp that is not a number', { timestamp: 'yesterday' }],
    ['a negative timestamp', { timestamp: '-1614265330' }],
  ])('refuses a request without %s as missing_headers', (_, overrides) => {
    expect(failure(vectorRequest(overrides))).toBe('missing_headers');
  });

  it('accepts a timestamp up to 5 minutes off either way, and not a second more', () => {
    const at = (seconds: number) => new Date(AT_VECTOR.getTime() + seconds * 1000);
    expect(failure(vectorRequest({ now: at(300) }))).toBeUndefined();
    expect(failure(vectorRequest({ now: at(-300) }))).toBeUndefined();
    expect(failure(vectorRequest({ now: at(301) }))).toBe('stale_timestamp');
    expect(failure(vectorRequest({ now: at(-301) }))).toBe('stale_timestamp');
    expect(failure(vectorRequest({ now: at(301), toleranceSeconds: 600 }))).toBeUndefined();
  });
});

describe(signStandardWebhook.name, () => {
  it('reproduces the example of the specification', () => {
    expect(signStandardWebhook(VECTOR.id, VECTOR.timestamp, VECTOR.body, VECTOR.secret)).toBe(VECTOR.signature);
    expect(signStandardWebhook(VECTOR.id, Number(VECTOR.timestamp), Buffer.from(VECTOR.body), VECTOR.secret)).toBe(
      VECTOR.signature,
    );
  });

  it('signs as the specification says: HMAC-SHA256 of "id.timestamp.body" keyed with the decoded secret', () => {
    const key = randomBytes(32);
    const body = Buffer.from('{"name":"میمندی‌نژاد"}');
    const expected = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from('msg_1.1700000000.'), body]))
      .digest('base64');
    expect(signStandardWebhook('msg_1', 1700000000, body, `whsec_${key.toString('base64')}`)).toBe(`v1,${expected}`);
  });
});
