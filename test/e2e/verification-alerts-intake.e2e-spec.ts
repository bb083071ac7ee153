import { randomUUID } from 'node:crypto';
import { createSource, postReport } from '../support/signed-webhook';
import { watchByEmail } from '../support/email-subscription';
import { alertMailsTo } from '../support/mails-to';
import { watchByWebhook } from '../support/webhook-subscription';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestStack, type TestStack } from '../support/test-stack';
import { quickSweeper } from '../support/test-worker';
import { arrestReport } from '../support/report-bodies';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Alerts by verification end to end: every report comes through a partner's signed webhook and the
 * intake decides what it is (recorded, corroborated, disputed); watchers receive what the alert types say.
 */
describe('Alerts by verification, through the intake', () => {
  let smtp: TestSmtpServer;
  let receiver: TestHttpReceiver;
  let stack: TestStack;
  let ihr: { id: string; secret: string };
  let second: { id: string; secret: string };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    receiver = await startTestHttpReceiver();
    stack = await startTestStack(
      { smtpUrl: smtp.url, retrySchedule: [100, 200], webhookAllowPrivateTargets: true },
      quickSweeper(2_000),
    );
    ihr = await createSource(stack.api, 'Iran Human Rights');
    second = await createSource(stack.api, 'Fictional Second Monitor');
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await smtp?.stop();
  });

  const seed = (externalId: string) => seedReports().find((r: Json) => r.externalId === externalId);
  const post = (source: { id: string; secret: string }, report: Json) => postReport(stack.api, source, report);
  const webhookWatcher = async (persons: string[], minVerification?: string) =>
    (await watchByWebhook(stack.api, { url: `${receiver.url}/${randomUUID()}`, watch: { persons }, minVerification }))
      .id;
  const emailWatcher = (email: string, persons: string[], minVerification?: string) =>
    watchByEmail(stack.api, smtp, { email, watch: { persons }, minVerification });

  async function alertsOf(subscriptionId: string): Promise<[string, string][]> {
    await stack.settled();
    const { rows } = await stack.db.pool.query(
      `SELECT alert_type, incident_id FROM deliveries WHERE subscription_id = $1 ORDER BY created_at, cause_position`,
      [subscriptionId],
    );
    return rows.map((row) => [row.alert_type, row.incident_id]);
  }

  it('a second source of the Hamedan executions: recorded then corroborated to a reported watcher, recorded to a corroborated one', async () => {
    const hamedan = seed('ihr-2021-06-11-hamedan-executions');
    const names = hamedan.persons.map((p: Json) => p.name).slice(0, 1);
    const reported = await webhookWatcher(names);
    const corroborated = await webhookWatcher(names, 'corroborated');
    await emailWatcher('family@example.org', names);
    await emailWatcher('careful@example.org', names, 'corroborated');

    const first = await post(ihr, hamedan);
    expect(first.status).toBe(201);
    const id = first.body.incidentId;
    expect(await alertsOf(reported)).toEqual([['incident.recorded', id]]);
    expect(await alertsOf(corroborated)).toEqual([]);

    const again = await post(second, {
      ...hamedan,
      externalId: 'second-hamedan',
      source: { name: 'Second Monitor', url: 'https://second.example/hamedan', status: 'confirmed' },
    });
    expect(again.body).toMatchObject({ incidentId: id, status: 'corroborated' });
    expect(await alertsOf(reported)).toEqual([
      ['incident.recorded', id],
      ['incident.corroborated', id],
    ]);
    expect(await alertsOf(corroborated)).toEqual([['incident.recorded', id]]);

    // The same source again under another externalId is a duplicate: no alert.
    const duplicate = await post(second, { ...hamedan, externalId: 'second-hamedan-again' });
    expect(duplicate.body.status).toBe('duplicate');
    expect(await alertsOf(reported)).toHaveLength(2);

    const family = alertMailsTo(smtp, 'family@example.org');
    expect(family.map((m) => m.subject?.split(':')[0])).toEqual(['Execution', 'Corroborated — Execution']);
    const words = (family[1].text ?? '').replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ');
    expect(words).toContain('Verification: corroborated by 2 independent sources');
    expect(words).toContain('Iran Human Rights');
    expect(words).toContain('Fictional Second Monitor');
    const careful = alertMailsTo(smtp, 'careful@example.org');
    expect(careful).toHaveLength(1);
    expect(careful[0].subject).toMatch(/^Execution: /);

    const posted = receiver.requests.map((r) => JSON.parse(r.body)).filter((b) => b.data.incident.id === id);
    expect(posted.find((b) => b.type === 'incident.corroborated').data.incident).toMatchObject({
      verification: 'corroborated',
      officiallyAcknowledged: false,
      sources: [
        { id: ihr.id, name: 'Iran Human Rights', kind: 'hr_ngo' },
        { id: second.id, name: 'Fictional Second Monitor', kind: 'hr_ngo', url: 'https://second.example/hamedan' },
      ],
    });
  });

  it('a date disputed by a second source reaches those alerted as one incident.disputed; separated, the second report is alerted as new', async () => {
    const reported = await webhookWatcher(['Fictional Disputed Person']);
    const corroborated = await webhookWatcher(['Fictional Disputed Person'], 'corroborated');
    const first = await post(ihr, arrestReport('ihr-disputed', '2024-05-10', ['Fictional Disputed Person']));
    const id = first.body.incidentId;
    const other = await post(second, arrestReport('second-disputed', '2024-05-12', ['Fictional Disputed Person']));
    expect(other.body).toMatchObject({ incidentId: id, status: 'disputed' });
    expect(await alertsOf(reported)).toEqual([
      ['incident.recorded', id],
      ['incident.disputed', id],
    ]);
    expect(await alertsOf(corroborated)).toEqual([['incident.recorded', id]]);

    const response = await stack.api.request(`/v1/admin/incidents/${id}/resolve`, {
      method: 'POST',
      admin: true,
      json: { field: 'occurredOn', separate: true },
    });
    expect(response.status).toBe(200);
    const { separatedAs } = await readJson(response);
    expect(await alertsOf(reported)).toEqual([
      ['incident.recorded', id],
      ['incident.disputed', id],
      ['incident.recorded', separatedAs],
    ]);
    // Each incident now has one source: neither meets the corroborated watcher's threshold again.
    expect(await alertsOf(corroborated)).toEqual([['incident.recorded', id]]);
  });
});
