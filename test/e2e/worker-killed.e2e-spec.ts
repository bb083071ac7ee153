import { useApiForWorkerProcesses } from '../support/worker-process/api-for-worker-processes';
import { watchByEmailUnmailed } from '../support/email-subscription';
import { recordReport } from '../support/recorded-report';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process/spawn-worker-process';
import { openedAddress } from '../support/subscriber-data';

describe('Email alerts when the worker is killed while sending', () => {
  const WATCHED = 'Fictional Killedworker';
  const ADDRESSES = [1, 2, 3, 4, 5].map((n) => `killed-worker-${n}@example.org`);

  const suite = useApiForWorkerProcesses();

  const subscribeAndConfirm = (email: string) => watchByEmailUnmailed(suite, { email, watch: { persons: [WATCHED] } });

  const deliveries = async () =>
    (
      await suite.db.pool.query<{ id: string; emailBox: string; status: string; attempts: number }>(
        `SELECT s.id, s.email_box AS "emailBox", d.status, d.attempts FROM deliveries d
           JOIN subscriptions s ON s.id = d.subscription_id WHERE d.channel = 'email'`,
      )
    ).rows
      .map(({ id, emailBox, status, attempts }) => ({ email: openedAddress(id, emailBox), status, attempts }))
      .sort((a, b) => a.email.localeCompare(b.email));

  it('loses no alert: a second worker sends every mail the killed one had in hand', async () => {
    for (const address of ADDRESSES) await subscribeAndConfirm(address);

    const first = WorkerProcess.spawn({ ...suite.config, smtpUrl: suite.alertSmtp.url });
    await first.started();
    await recordReport(suite.api, {
      externalId: 'worker-killed-1',
      source: { name: 'Test Monitor', status: 'confirmed' },
      type: 'arrest',
      occurredOn: '2024-11-01',
      persons: [{ name: WATCHED }],
    });

    // The first worker routed the incident and is in the middle of sending: a mail is in DATA, unanswered.
    await waitFor(() => suite.alertSmtp.held() >= 1, { what: 'a mail in DATA', timeoutMs: 20_000 });
    expect(await deliveries()).toHaveLength(ADDRESSES.length);
    await first.kill('SIGKILL');
    expect(suite.alertSmtp.received).toEqual([]);
    // Its connections are gone before the server answers: those mails were never acknowledged.
    await waitFor(() => suite.alertSmtp.heldAndAbandoned() === suite.alertSmtp.held(), {
      what: 'the dead worker to hang up',
    });
    suite.alertSmtp.release();
    expect(suite.alertSmtp.received).toEqual([]);

    const second = WorkerProcess.spawn({ ...suite.config, smtpUrl: suite.alertSmtp.url });
    await second.started();
    // Jobs the dead worker held come back once their lock lapses (15 s), found by the stalled check (every 5 s).
    await waitFor(() => ADDRESSES.every((address) => suite.alertSmtp.received.some((to) => to.includes(address))), {
      what: 'an alert to every address',
      timeoutMs: 40_000,
      intervalMs: 100,
    });
    const rows = await waitFor(
      async () => {
        const all = await deliveries();
        return all.every((row) => row.status === 'delivered') && all;
      },
      { what: 'every delivery to be recorded as delivered', timeoutMs: 10_000 },
    );

    expect(rows.map((row) => row.email)).toEqual([...ADDRESSES].sort());
    // Exactly once each: nothing was acknowledged before the kill (received was empty then), so nothing is resent.
    const counts = ADDRESSES.map((address): [string, number] => [
      address,
      suite.alertSmtp.received.filter((to) => to.includes(address)).length,
    ]);
    expect(counts.filter(([, count]) => count !== 1)).toEqual([]);
    // The mail cut off mid-send was tried by the dead worker and again by the new one.
    expect(Math.max(...rows.map((row) => row.attempts))).toBeGreaterThanOrEqual(2);
    expect(suite.alertSmtp.received.every((to) => to.length === 1)).toBe(true);
  }, 120_000);
});
