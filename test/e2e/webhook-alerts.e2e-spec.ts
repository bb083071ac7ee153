import { createHmac } from 'node:crypto';
import { Queue } from 'bullmq';
import { QUEUE_NAMES } from '@vigil/alerts';
import { WebhookDeliveryProcessor } from '@vigil/delivery';
import { createRedis } from '@vigil/platform';
import { startTestStack, type TestStack } from '../support/test-stack';
import { quickSweeper } from '../support/test-worker';
import {
  answer,
  hang,
  startTestHttpReceiver,
  type ReceivedRequest,
  type TestHttpReceiver,
} from '../support/test-http-receiver';
import { readJson } from '../support/read-json';
import { recordReport } from '../support/recorded-report';
import { waitFor } from '../support/wait-for';
import { watchByWebhook } from '../support/webhook-subscription';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Standard Webhooks verification written from the spec text, independent of the app's signing code. */
function verifies(request: ReceivedRequest, secret: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const content = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
  const expected = createHmac('sha256', key).update(content).digest('base64');
  return String(request.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe('Webhook alerts', () => {
  let stack: TestStack;
  const receivers: TestHttpReceiver[] = [];
  let reportNumber = 0;

  beforeAll(async () => {
    stack = await startTestStack(
      { retrySchedule: [100, 150, 200], webhookAllowPrivateTargets: true },
      { ...quickSweeper(2_000), webhooks: { timeoutMs: 500 } },
    );
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await stack?.close();
  });

  async function receiver(): Promise<TestHttpReceiver> {
    const started = await startTestHttpReceiver();
    receivers.push(started);
    return started;
  }

  const subscribe = (url: string, persons: string[], on = stack) => watchByWebhook(on.api, { url, watch: { persons } });
  const report = (person: string, type = 'arrest', on = stack, occurredOn = '2025-03-04') =>
    recordReport(on.api, {
      externalId: `webhook-alerts-${++reportNumber}`,
      type,
      occurredOn,
      persons: [{ name: person }],
      source: { name: 'Test Monitor', status: 'confirmed' },
    });

  const delivery = async (subscriptionId: string) =>
    (await readJson(await stack.api.request(`/v1/admin/deliveries?subscriptionId=${subscriptionId}`, { admin: true })))
      .items;

  it('posts the contract body, signed, with the delivery id as webhook-id', async () => {
    const target = await receiver();
    const { id, secret } = await subscribe(`${target.url}/hooks/vigil`, ['Fictional Hooked']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const incidentId = await report('Fictional Hooked');
    const [request] = await waitFor(() => target.requests.length === 1 && target.requests, { what: 'the webhook' });
    expect(request.path).toBe('/hooks/vigil');
    expect(request.headers['content-type']).toBe('application/json');
    expect(verifies(request, secret)).toBe(true);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({
      type: 'incident.recorded',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      data: {
        incident: {
          id: incidentId,
          type: 'arrest',
          occurredOn: '2025-03-04',
          persons: [{ id: expect.any(String), name: 'Fictional Hooked' }],
          organizations: [],
          status: 'recorded',
        },
        matched: { persons: [expect.any(String)], organizations: [] },
      },
    });
    await waitFor(async () => (await delivery(id))[0]?.status === 'delivered', { what: 'delivered' });
    expect(request.headers['webhook-id']).toBe((await delivery(id))[0].id);
  });

  it('says newlyDocumented when the incident occurred more than 30 days before it was recorded', async () => {
    const target = await receiver();
    await subscribe(`${target.url}/hooks/vigil`, ['Fictional Documented']);
    const today = new Date().toISOString().slice(0, 10);
    const cases: [string, boolean][] = [
      ['2020-06-21', true],
      [today, false],
      ['--06-11', false], // a day without a year can never be known to be old
    ];
    const ids: string[] = [];
    for (const [occurredOn] of cases) ids.push(await report('Fictional Documented', 'arrest', stack, occurredOn));
    await waitFor(() => target.requests.length === cases.length, { what: 'three webhooks' });
    const incidents = new Map(
      target.requests.map((request) => {
        const { incident } = JSON.parse(request.body).data;
        return [incident.id, incident];
      }),
    );
    cases.forEach(([occurredOn, newlyDocumented], i) =>
      expect(incidents.get(ids[i])).toMatchObject({ occurredOn, newlyDocumented }),
    );
    expect(incidents.get(ids[2]).occurredOnDetail).toEqual({ value: '--06-11', precision: 'month-day' });
  });

  it('retries after two 500s with the same webhook-id and body, ending delivered after 3 attempts', async () => {
    const target = await receiver();
    target.respond(answer(500), answer(500));
    const { id } = await subscribe(target.url, ['Fictional Retried']);
    await report('Fictional Retried');
    await waitFor(() => target.requests.length === 3, { what: 'three tries' });
    expect(new Set(target.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(target.requests.map((r) => r.body)).size).toBe(1);
    await waitFor(async () => (await delivery(id))[0]?.status === 'delivered', { what: 'delivered' });
    expect((await delivery(id))[0].attempts).toBe(3);
  });

  it('treats a timeout and a redirect as failures, and follows no redirect', async () => {
    const slow = await receiver();
    slow.fallback = hang;
    const moved = await receiver();
    moved.fallback = answer(302, '', { location: `${moved.url}/elsewhere` });
    const slowSub = await subscribe(slow.url, ['Fictional Slow']);
    const movedSub = await subscribe(moved.url, ['Fictional Moved']);
    await report('Fictional Slow');
    await report('Fictional Moved');
    await waitFor(async () => (await delivery(slowSub.id))[0]?.status === 'dead', {
      what: 'the slow one dead',
      timeoutMs: 15_000,
    });
    await waitFor(async () => (await delivery(movedSub.id))[0]?.status === 'dead', { what: 'the moved one dead' });
    expect((await delivery(slowSub.id))[0].lastError).toMatch(/did not answer within 500 ms/);
    expect((await delivery(movedSub.id))[0].lastError).toMatch(/302/);
    expect(moved.requests.every((r) => r.path === '/')).toBe(true);
  });

  it('disables the subscription on 410 Gone', async () => {
    const target = await receiver();
    target.fallback = answer(410);
    const { id } = await subscribe(target.url, ['Fictional Gone']);
    await report('Fictional Gone');
    await waitFor(async () => (await delivery(id))[0]?.status === 'dead', { what: 'dead after 410' });
    const list = await readJson(await stack.api.request('/v1/admin/webhook-subscriptions?limit=500', { admin: true }));
    expect(list.items.find((s: Json) => s.id === id).status).toBe('disabled');
    expect(target.requests).toHaveLength(1);
  });

  it('ends dead while the receiver is down, and an admin retry delivers once it is back', async () => {
    const target = await receiver();
    const url = target.url;
    const { id } = await subscribe(url, ['Fictional Down']);
    await target.close();
    await report('Fictional Down');
    await waitFor(async () => (await delivery(id))[0]?.status === 'dead', { what: 'dead' });
    const [dead] = await delivery(id);
    expect(dead.attempts).toBe(4);
    const back = await startTestHttpReceiver();
    receivers.push(back);
    // The subscription points at the old port: send the retry to a receiver on the same address.
    await stack.db.pool.query('UPDATE subscriptions SET url = $2 WHERE id = $1', [id, back.url]);
    const retry = await stack.api.request(`/v1/admin/deliveries/${dead.id}/retry`, { method: 'POST', admin: true });
    expect(retry.status).toBe(202);
    await waitFor(async () => (await delivery(id))[0]?.status === 'delivered', { what: 'delivered after the retry' });
    expect(back.requests).toHaveLength(1);
    expect(back.requests[0].headers['webhook-id']).toBe(dead.id);
  });

  it('sends incident.retracted to the subscription it alerted', async () => {
    const target = await receiver();
    await subscribe(target.url, ['Fictional Retracted']);
    const incidentId = await report('Fictional Retracted');
    await waitFor(() => target.requests.length === 1, { what: 'the alert' });
    await stack.api.request(`/v1/admin/incidents/${incidentId}/retract`, {
      method: 'POST',
      admin: true,
      json: { reason: 'duplicate report' },
    });
    await waitFor(() => target.requests.length === 2, { what: 'the retraction' });
    const body = JSON.parse(target.requests[1].body);
    expect(body.type).toBe('incident.retracted');
    expect(body.data.incident).toMatchObject({ id: incidentId, status: 'retracted' });
  });

  it('sends incident.confirmed to the subscription it alerted', async () => {
    const target = await receiver();
    await subscribe(target.url, ['Fictional Vouched']);
    const incidentId = await report('Fictional Vouched');
    await waitFor(() => target.requests.length === 1, { what: 'the alert' });
    const confirmed = await stack.api.request(`/v1/admin/incidents/${incidentId}/confirm`, {
      method: 'POST',
      admin: true,
      json: { source: { name: 'Second Monitor' } },
    });
    expect(confirmed.status).toBe(200);
    const [alert, confirmation] = await waitFor(() => target.requests.length === 2 && target.requests, {
      what: 'the confirmation',
    });
    const body = JSON.parse(confirmation.body);
    expect(body.type).toBe('incident.confirmed');
    expect(body.data.incident).toMatchObject({ id: incidentId, status: 'confirmed' });
    expect(confirmation.headers['webhook-id']).not.toBe(alert.headers['webhook-id']);
  });

  it('delivers a job queued by an older version, whose data has only the delivery id', async () => {
    const target = await receiver();
    const { id } = await subscribe(target.url, ['Fictional Legacy']);
    await report('Fictional Legacy');
    await waitFor(async () => (await delivery(id))[0]?.status === 'delivered', { what: 'the first delivery' });
    const [{ id: deliveryId }] = await delivery(id);
    await stack.db.pool.query(`UPDATE deliveries SET status = 'pending', attempts = 0 WHERE id = $1`, [deliveryId]);
    const redis = createRedis(stack.config.redisUrl);
    const queue = new Queue(QUEUE_NAMES.webhook, { connection: redis, prefix: stack.config.queuePrefix });
    try {
      await queue.add('deliver', { deliveryId }, { jobId: `legacy-${deliveryId}`, removeOnComplete: true });
    } finally {
      await queue.close();
      await redis.quit();
    }
    await waitFor(() => target.requests.length === 2, { what: 'the legacy job’s request' });
    expect(target.requests[1].headers['webhook-id']).toBe(deliveryId);
    await waitFor(async () => (await delivery(id))[0]?.status === 'delivered', { what: 'delivered again' });
    expect((await delivery(id))[0].attempts).toBe(1);
  });

  it('keeps a hanging partner from holding back the others, with more of its jobs than the worker runs at once', async () => {
    // A stack whose requests never time out: whatever the stuck partner takes, it holds until it closes.
    const patient = await startTestStack(
      { webhookAllowPrivateTargets: true },
      { webhooks: { timeoutMs: 120_000 }, sweeper: { intervalMs: 60_000, staleAfterMs: 120_000 } },
    );
    const stuck = await receiver();
    stuck.fallback = hang;
    const healthy = await receiver();
    try {
      const { concurrency } = patient.worker.app.get(WebhookDeliveryProcessor).worker;
      await subscribe(stuck.url, ['Fictional Crowd'], patient);
      await subscribe(healthy.url, ['Fictional Crowd'], patient);
      // More stuck jobs than the worker's concurrency: unless the stuck endpoint is held to a few slots,
      // its jobs take every slot and the healthy partner's alerts wait behind them for good.
      const alerts = concurrency + 8;
      // A year apart: reports of one person on one day would be one incident (docs/architecture.md, "Matching").
      for (let i = 0; i < alerts; i++)
        await report('Fictional Crowd', i % 2 ? 'release' : 'arrest', patient, `${1980 + i}-03-04`);
      await waitFor(
        () => {
          if (healthy.requests.length < alerts) throw new Error(`it has ${healthy.requests.length} of ${alerts}`);
          return true;
        },
        { what: 'the healthy partner’s alerts', timeoutMs: 20_000 },
      );
      expect(stuck.requests.length).toBeGreaterThan(0);
      expect(new Set(healthy.requests.map((r) => r.headers['webhook-id'])).size).toBe(alerts);
    } finally {
      // Drops the hanging requests, so the worker's jobs end and the stack can close.
      await stuck.close();
      await patient.close();
    }
  });

  it.each([
    'http://localhost:8080/hook',
    'http://127.1/hook',
    'http://0x7f.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'ftp://example.org/hook',
    'not a url',
    'http://no-such-host.invalid/hook',
  ])('refuses %s as a target when private targets are not allowed', async (url) => {
    const strict = await startTestStack({ webhookAllowPrivateTargets: false });
    try {
      const response = await strict.api.request('/v1/admin/webhook-subscriptions', {
        method: 'POST',
        admin: true,
        json: { url, watch: { persons: ['X'] } },
      });
      expect(response.status).toBe(400);
      expect((await readJson(response)).errors.map((e: { path: string }) => e.path)).toEqual(['url']);
      const { rows } = await strict.db.pool.query(`SELECT count(*)::int AS n FROM subscriptions`);
      expect(rows[0].n).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it('rotates a secret: both the new and the old one sign for a while, then only the new one', async () => {
    const target = await receiver();
    const { id, secret } = await subscribe(target.url, ['Fictional Rotated']);
    const rotated = await readJson(
      await stack.api.request(`/v1/admin/webhook-subscriptions/${id}/rotate-secret`, { method: 'POST', admin: true }),
    );
    expect(rotated.secret).not.toBe(secret);
    await report('Fictional Rotated');
    const [request] = await waitFor(() => target.requests.length === 1 && target.requests, { what: 'the alert' });
    expect(verifies(request, secret)).toBe(true);
    expect(verifies(request, rotated.secret)).toBe(true);
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);

    // 24 hours later the old secret no longer signs: only the new one.
    await stack.db.pool.query(
      `UPDATE subscription_secrets SET expires_at = now() - interval '1 second' WHERE subscription_id = $1 AND expires_at IS NOT NULL`,
      [id],
    );
    await report('Fictional Rotated', 'release');
    const [, later] = await waitFor(() => target.requests.length === 2 && target.requests, { what: 'the next alert' });
    expect(verifies(later, rotated.secret)).toBe(true);
    expect(verifies(later, secret)).toBe(false);
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(
      (await stack.api.request(`/v1/admin/webhook-subscriptions/${id}`, { method: 'DELETE', admin: true })).status,
    ).toBe(204);
    expect(
      (await stack.api.request(`/v1/admin/webhook-subscriptions/${id}`, { method: 'DELETE', admin: true })).status,
    ).toBe(404);
  });
});
