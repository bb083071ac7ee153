import { DEFAULT_SWEEPER_OPTIONS, SWEEPER_OPTIONS } from '@vigil/delivery';
import { readJson } from '../support/read-json';
import { recordReport } from '../support/recorded-report';
import { answer, startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { watchByWebhook } from '../support/webhook-subscription';

/**
 * An admin's retry of a dead delivery is sent by the job it queues, not a minute later by the sweeper. The worker
 * takes that job up at once, before or after the retry's own write commits: it must find the row to send either way.
 */
describe('Admin retry of a dead delivery, with the default sweeper', () => {
  let stack: TestStack;
  let partner: TestHttpReceiver;

  beforeAll(async () => {
    [stack, partner] = await Promise.all([startTestStack(), startTestHttpReceiver()]);
  });
  afterAll(async () => {
    await partner?.close();
    await stack?.close();
  });

  it('sends each retried delivery at once instead of leaving it to the sweeper', async () => {
    // The sweeper would find a reopened row without a job only after a minute of rest, 30 s apart.
    expect(stack.worker.app.get(SWEEPER_OPTIONS)).toEqual(DEFAULT_SWEEPER_OPTIONS);
    partner.fallback = answer(500);
    const subscription = await watchByWebhook(stack.api, {
      url: `${partner.url}/hook`,
      watch: { persons: ['Fictional Retried'] },
    });
    // Several deliveries, each retried as soon as it is dead: each retry is one more chance for the race.
    for (const [n, occurredOn] of ['2025-01-04', '2025-02-04', '2025-03-04'].entries()) {
      await recordReport(stack.api, {
        externalId: `admin-retry-${n}`,
        type: 'arrest',
        occurredOn,
        persons: [{ name: 'Fictional Retried' }],
        source: { name: 'Test Monitor', status: 'confirmed' },
      });
    }
    const deliveries = async (): Promise<{ id: string; status: string }[]> =>
      (
        await readJson(
          await stack.api.request(`/v1/admin/deliveries?subscriptionId=${subscription.id}`, { admin: true }),
        )
      ).items;
    const dead = await waitFor(
      async () => {
        const rows = await deliveries();
        return rows.length === 3 && rows.every((row) => row.status === 'dead') && rows;
      },
      { what: 'three dead deliveries' },
    );

    partner.fallback = answer(204);
    const before = partner.requests.length;
    for (const { id } of dead) {
      const retry = await stack.api.request(`/v1/admin/deliveries/${id}/retry`, { method: 'POST', admin: true });
      expect(retry.status).toBe(202);
    }
    // Far sooner than the sweeper's first look at a reopened row (a minute), and well within this wait.
    await waitFor(async () => (await deliveries()).every((row) => row.status === 'delivered'), {
      what: 'every retried delivery to be delivered',
      timeoutMs: 20_000,
    });
    const sent = partner.requests.slice(before).map((request) => request.headers['webhook-id']);
    expect(sent.sort()).toEqual(dead.map((row) => row.id).sort());
  });
});
