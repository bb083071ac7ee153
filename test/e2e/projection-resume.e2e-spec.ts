import { ALERT_ROUTER } from '@vigil/alerts';
import { watchByEmail } from '../support/email-subscription';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { recordReport } from '../support/recorded-report';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { quickSweeper } from '../support/test-worker';
import { waitFor } from '../support/wait-for';

/**
 * The alert router cannot be rebuilt (it would alert today's subscribers about old incidents): once it stopped
 * with status `failed`, POST /v1/admin/projections/{name}/resume is its only way back.
 */
describe('POST /v1/admin/projections/{name}/resume', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  const email = 'resume-watcher@example.org';

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack({ smtpUrl: smtp.url }, quickSweeper(2_000));
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  const alerts = () => smtp.messages.filter((m) => m.headers.has('list-unsubscribe'));
  const resume = (name: string) =>
    stack.api.request(`/v1/admin/projections/${name}/resume`, { method: 'POST', admin: true });
  const projection = async (name: string) =>
    (await readJson(await stack.api.request('/v1/admin/projections', { admin: true }))).projections.find(
      (p: { name: string }) => p.name === name,
    );

  it('sends a failed alert router back to work at the event it stopped on: the alert it held back is mailed once', async () => {
    await watchByEmail(stack.api, smtp, { email, watch: { persons: ['Fictional Resumed'] } });
    await stack.caughtUp();

    // As if the router had thrown on the next event on every try (the state it leaves, and what an operator sees).
    await stack.db.pool.query(
      `UPDATE consumer_checkpoints SET status = 'failed', attempts = 5, last_error = 'event 42 (T): Error: a bug'
        WHERE name = $1`,
      [ALERT_ROUTER],
    );
    await recordReport(stack.api, {
      externalId: 'resume-1',
      type: 'arrest',
      occurredOn: '2025-03-04',
      persons: [{ name: 'Fictional Resumed' }],
      source: { name: 'Test Monitor', status: 'confirmed' },
    });
    // The other consumers apply the report; the router stays where it stopped and sends nothing.
    await waitFor(async () => (await projection('incidents'))?.lag === 0, { what: 'the projections to catch up' });
    expect(await projection(ALERT_ROUTER)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('a bug'),
    });
    expect(alerts()).toHaveLength(0);

    const resumed = await resume(ALERT_ROUTER);
    expect(resumed.status).toBe(202);
    expect(await readJson(resumed)).toEqual({ name: ALERT_ROUTER, status: 'running' });
    await stack.settled(); // every consumer running with lag 0, every delivery final
    expect(alerts().filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);
    expect(await projection(ALERT_ROUTER)).toMatchObject({ status: 'running', lastError: null });
  });

  it('refuses a consumer that is not failed (409) and an unknown name (404), as problems', async () => {
    await expectProblem(await resume(ALERT_ROUTER), 409);
    await expectProblem(await resume('no-such-projection'), 404);
  });
});
