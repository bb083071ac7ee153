import { useApiForWorkerProcesses } from '../support/worker-process/api-for-worker-processes';
import { hang, startTestHttpReceiver } from '../support/test-http-receiver';
import { watchByEmailUnmailed } from '../support/email-subscription';
import { recordReport } from '../support/recorded-report';
import { waitFor } from '../support/wait-for';
import { watchByWebhook } from '../support/webhook-subscription';
import { WorkerProcess } from '../support/worker-process/spawn-worker-process';
import { addressIndexOf } from '../support/subscriber-data';

/**
 * A worker stopped with SIGTERM (docker stop, a deployment) while its mails are in DATA, the SMTP server
 * holding the reply: it takes no new job, lets the sends finish until its deadline, then cuts them and
 * hands their jobs back. Nothing is lost, nothing is sent twice, and no try is used by the stop.
 */
describe('Email alerts when the worker is stopped (SIGTERM) while sending', () => {
  const suite = useApiForWorkerProcesses({ webhookAllowPrivateTargets: true });
  let reportNumber = 0;

  const subscribeAndConfirm = (email: string, person: string) =>
    watchByEmailUnmailed(suite, { email, watch: { persons: [person] } });
  const report = (person: string) =>
    recordReport(suite.api, {
      externalId: `worker-sigterm-${++reportNumber}`,
      source: { name: 'Test Monitor', status: 'confirmed' },
      type: 'arrest',
      occurredOn: `${1000 + reportNumber}-11-02`, // Another arrest for each report (years apart): one arrest reported twice would be one incident.
      persons: [{ name: person }],
    });

  const deliveriesTo = async (addresses: string[]) =>
    (
      await suite.db.pool.query<{ email_index: Buffer; status: string; attempts: number }>(
        `SELECT s.email_index, d.status, d.attempts FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
          WHERE s.email_index = ANY($1)`,
        [addresses.map(addressIndexOf)],
      )
    ).rows
      .map(({ email_index, status, attempts }) => ({
        email: addresses.find((address) => addressIndexOf(address).equals(email_index))!,
        status,
        attempts,
      }))
      .sort((a, b) => a.email.localeCompare(b.email));
  const received = (address: string) => suite.alertSmtp.received.filter((to) => to.includes(address)).length;

  it('cuts the sends still unanswered at its deadline and hands them back: a second worker sends each once, on its first try', async () => {
    const person = 'Fictional Sigtermcut';
    // More mails than the transport's five connections: five wait in DATA, the page's others for a connection
    // (a page claims a row only when it can send it: docs/decisions/0023-a-job-per-page-of-deliveries.md).
    const addresses = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `sigterm-cut-${n}@example.org`);
    for (const address of addresses) await subscribeAndConfirm(address, person);

    const first = WorkerProcess.spawn(
      { ...suite.config, smtpUrl: suite.alertSmtp.url },
      { shutdown: { deadlineMs: 500 } },
    );
    await first.started();
    await report(person);
    // The page taken, a try counted for each of the five mails in DATA, unanswered; the others not yet tried.
    await waitFor(
      async () => {
        const rows = await deliveriesTo(addresses);
        return (
          rows.length === addresses.length &&
          rows.filter((row) => row.attempts === 1).length === 5 &&
          suite.alertSmtp.held() === 5
        );
      },
      { what: 'five mails to be in the middle of their send', timeoutMs: 20_000 },
    );
    await first.kill('SIGTERM');
    expect(first.messages.some((m) => m.type === 'stopping')).toBe(true);

    // Nothing went out, and the row of every cut send is as it was before its try.
    expect(suite.alertSmtp.received).toEqual([]);
    expect(suite.alertSmtp.heldAndAbandoned()).toBe(suite.alertSmtp.held());
    expect(await deliveriesTo(addresses)).toEqual(
      addresses.map((email) => ({ email, status: 'pending', attempts: 0 })),
    );
    suite.alertSmtp.release();
    expect(suite.alertSmtp.received).toEqual([]);

    // The jobs went back to the queue: a new worker finds them at once, with no lock to wait for.
    const second = WorkerProcess.spawn({ ...suite.config, smtpUrl: suite.alertSmtp.url });
    await second.started();
    await waitFor(async () => (await deliveriesTo(addresses)).every((row) => row.status === 'delivered'), {
      what: 'every delivery to be delivered',
      timeoutMs: 20_000,
    });
    await second.kill('SIGTERM');
    expect(addresses.map(received)).toEqual(addresses.map(() => 1));
    expect(await deliveriesTo(addresses)).toEqual(
      addresses.map((email) => ({ email, status: 'delivered', attempts: 1 })),
    );
  }, 120_000);

  it('finishes the sends in hand when they are answered before its deadline, then exits', async () => {
    const person = 'Fictional Sigtermfinish';
    const addresses = [1, 2, 3].map((n) => `sigterm-finish-${n}@example.org`);
    for (const address of addresses) await subscribeAndConfirm(address, person);
    suite.alertSmtp.hold();

    const worker = WorkerProcess.spawn(
      { ...suite.config, smtpUrl: suite.alertSmtp.url },
      { shutdown: { deadlineMs: 60_000 } },
    );
    await worker.started();
    await report(person);
    await waitFor(() => suite.alertSmtp.held() === addresses.length, { what: 'every mail in DATA', timeoutMs: 20_000 });

    worker.child.kill('SIGTERM');
    await waitFor(() => worker.messages.some((m) => m.type === 'stopping'), { what: 'the worker to stop' });
    // Still alive: it waits for the answers it is owed.
    expect(worker.alive).toBe(true);
    suite.alertSmtp.release();
    await worker.exited();

    expect(addresses.map(received)).toEqual(addresses.map(() => 1));
    expect(await deliveriesTo(addresses)).toEqual(
      addresses.map((email) => ({ email, status: 'delivered', attempts: 1 })),
    );
  }, 120_000);
  it('cuts a webhook post still unanswered at its deadline and hands it back: the next worker delivers it on its first try', async () => {
    const person = 'Fictional Sigtermhook';
    const receiver = await startTestHttpReceiver();
    try {
      // The first request hangs; any later one is answered 204.
      receiver.respond(hang);
      const { id: subscriptionId } = await watchByWebhook(suite.api, {
        url: receiver.url,
        watch: { persons: [person] },
      });
      const row = async () =>
        (
          await suite.db.pool.query<{ status: string; attempts: number }>(
            `SELECT status, attempts FROM deliveries WHERE subscription_id = $1`,
            [subscriptionId],
          )
        ).rows;

      // A webhook timeout beyond the test's own: only the cut lets this worker stop. Its sweeper waits as long
      // (a worker refuses a staleness shorter than a send may take).
      const first = WorkerProcess.spawn(suite.config, {
        shutdown: { deadlineMs: 500 },
        webhooks: { timeoutMs: 600_000 },
        sweeper: { staleAfterMs: 600_000 },
      });
      await first.started();
      await report(person);
      await waitFor(() => receiver.requests.length === 1, { what: 'the post in flight', timeoutMs: 20_000 });
      await first.kill('SIGTERM');
      expect(await row()).toEqual([{ status: 'pending', attempts: 0 }]);

      const second = WorkerProcess.spawn(suite.config);
      await second.started();
      await waitFor(async () => (await row())[0]?.status === 'delivered', {
        what: 'the webhook to be delivered',
        timeoutMs: 20_000,
      });
      await second.kill('SIGTERM');
      expect(await row()).toEqual([{ status: 'delivered', attempts: 1 }]);
      // The cut request and the one answered: the same alert, which a receiver drops by webhook-id if it saw it.
      expect(receiver.requests).toHaveLength(2);
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
