import { messageIdFor } from '../../libs/delivery/src/mail/mail-transport';
import { watchByEmail } from '../support/email-subscription';
import { readJson } from '../support/read-json';
import { createSource, signedHeaders } from '../support/signed-webhook';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { quickSweeper } from '../support/test-worker';

/** A year of its own for each report id, the same when the report is sent again. */
const yearOf = (() => {
  const years = new Map<string, number>();
  return (externalId: string): number => {
    if (!years.has(externalId)) years.set(externalId, 1000 + years.size);
    return years.get(externalId)!;
  };
})();

/** Reports sent, one every PACE_MS; PostgreSQL is cut before report CUT_AT and restored before RESTORE_AT (~5 s later). */
const REPORTS = 160;
const PACE_MS = 50;
const CUT_AT = 30;
const RESTORE_AT = 130;
/** No answer may take longer: the database timeouts below are far shorter. */
const CLIENT_TIMEOUT_MS = 5_000;
const WATCHED = 'Fictional Steady';

interface Answer {
  externalId: string;
  status: number | 'no answer';
  retryAfter: string | null;
  incidentId?: string;
}

/**
 * The first fault test of the issue: PostgreSQL is cut for about five seconds under both apps (one proxy in
 * front of it for the API and the worker) while signed reports arrive at a steady 20 a second.
 */
describe('Vigil while PostgreSQL is cut under a steady flow of reports', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  const answers: Answer[] = [];

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack(
      {
        smtpUrl: smtp.url,
        // Long enough for a delivery whose database went away to be tried again after it is back.
        retrySchedule: [100, 500, 1_000, 2_000, 4_000, 8_000],
        // Short, so nothing waits long on a database that is gone; the defaults are longer. The connect timeout
        // is not shorter still: when PostgreSQL comes back, every waiting request opens a connection at once, and
        // on a machine busy with other suites one such start-up took over 500 ms (a 503 seconds after the restore).
        databaseTimeouts: { connectMs: 2_000, statementMs: 1_000, lockMs: 1_000, idleInTransactionMs: 5_000 },
      },
      quickSweeper(2_000),
      { behindProxy: true },
    );
    const watchers = ['steady1@example.org', 'steady2@example.org'];
    for (const email of watchers) await watchByEmail(stack.api, smtp, { email, watch: { persons: [WATCHED] } });

    const source = await createSource(stack.api);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < REPORTS; i++) {
      if (i === CUT_AT) stack.postgres!.cut();
      if (i === RESTORE_AT) stack.postgres!.restore();
      sends.push(send(source, `steady-${i}`));
      await new Promise((resolve) => setTimeout(resolve, PACE_MS)); // the pace of arrivals, not a wait for a state
    }
    await Promise.all(sends);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  async function send(source: { id: string; secret: string }, externalId: string): Promise<void> {
    const body = JSON.stringify({
      externalId,
      type: 'arrest',
      occurredOn: `${yearOf(externalId)}-03-04`, // one arrest reported twice would be one incident
      persons: [{ name: WATCHED }],
      source: { name: 'Test Monitor', status: 'confirmed' },
    });
    try {
      const response = await stack.api.request(`/v1/webhooks/incidents/${source.id}`, {
        method: 'POST',
        body,
        headers: signedHeaders(source.secret, body),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const answer = await readJson(response).catch(() => ({}));
      answers.push({
        externalId,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        incidentId: answer.incidentId,
      });
    } catch {
      answers.push({ externalId, status: 'no answer', retryAfter: null });
    }
  }

  it('answers every report 201/200, or 503 with Retry-After: none is a 500, none waits past the timeout', () => {
    expect(answers).toHaveLength(REPORTS);
    const unexpected = answers.filter(
      (a) => !(a.status === 201 || a.status === 200 || (a.status === 503 && Number(a.retryAfter) > 0)),
    );
    expect(unexpected).toEqual([]);
    // The cut was felt, and the API served before it and again by itself after it.
    const statusOf = (i: number) => answers.find((a) => a.externalId === `steady-${i}`)!.status;
    expect(statusOf(CUT_AT + 1)).toBe(503);
    expect(statusOf(0)).toBe(201);
    expect(statusOf(REPORTS - 1)).toBe(201);
  });

  it('keeps every report it answered 201 in the log', async () => {
    const accepted = answers.filter((a) => a.status === 201).map((a) => a.externalId);
    const { rows } = await stack.db.pool.query<{ id: string }>(
      `SELECT DISTINCT data->>'externalId' AS id FROM events WHERE data->>'externalId' = ANY($1)`,
      [accepted],
    );
    expect(rows.map((row) => row.id).sort()).toEqual([...accepted].sort());
  });

  interface Delivery {
    id: string;
    subscription_id: string;
    incident_id: string;
    status: string;
  }
  /** Once every consumer runs with lag 0, every delivery is final and every queue empty: what the cut left. */
  const settledDeliveries = async (): Promise<Delivery[]> => {
    await stack.settled();
    return (await stack.db.pool.query<Delivery>(`SELECT id, subscription_id, incident_id, status FROM deliveries`))
      .rows;
  };

  it("brings every consumer back to 'running' without help, and routes each watcher exactly one alert per incident", async () => {
    const deliveries = await settledDeliveries();
    const { rows: subscriptions } = await stack.db.pool.query<{ id: string }>(
      `SELECT id FROM subscriptions WHERE status = 'active'`,
    );
    expect(subscriptions).toHaveLength(2);
    // One alert per watcher for every incident answered 201 (and for any the cut answered 503 after its commit).
    const incidents = answers.filter((a) => a.status === 201).map((a) => a.incidentId!);
    for (const { id } of subscriptions) {
      const theirs = deliveries.filter((d) => d.subscription_id === id).map((d) => d.incident_id);
      expect(new Set(theirs).size).toBe(theirs.length);
      expect(theirs).toEqual(expect.arrayContaining(incidents));
    }
    expect(deliveries.filter((d) => d.status !== 'delivered')).toEqual([]);
  });

  it('mails each alert to its watcher exactly once', async () => {
    const deliveries = await settledDeliveries();
    // Each delivery reached the SMTP server exactly once (counted by the Message-ID made of its id).
    const received = new Map<string, number>();
    for (const mail of smtp.messages.filter((m) => m.headers.has('list-unsubscribe'))) {
      received.set(mail.messageId!, (received.get(mail.messageId!) ?? 0) + 1);
    }
    const expected = new Map(deliveries.map((d) => [messageIdFor(d.id, stack.config.publicBaseUrl), 1]));
    expect(Object.fromEntries(received)).toEqual(Object.fromEntries(expected));
  });
});
