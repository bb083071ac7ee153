import { randomUUID } from 'node:crypto';
import { incidentStreamId } from '@vigil/domain';
import { AlertRouter, DeliveryQueues, type QueuedDelivery } from '@vigil/alerts';
import { appendEvents, readStream } from '@vigil/event-store';
import { deliveryPayloadOf } from '../../libs/alerts/src/alert-payloads';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { quickSweeper, startTestWorker } from '../support/test-worker';
import { startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { createSource, postSigned } from '../support/signed-webhook';
import { watchByEmail } from '../support/email-subscription';
import { alertMailsTo } from '../support/mails-to';
import { watchByWebhook } from '../support/webhook-subscription';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { waitFor } from '../support/wait-for';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Threshold = 'reported' | 'corroborated' | 'confirmed';

/**
 * Alerts by verification (docs/api.md, "Alert types"). Reports come through the signed partner webhook;
 * what the intake does with a second report (SourceAdded, ConflictFlagged, merges …) is appended to the
 * incident's stream here as the intake appends it, so the alert router is tested on exactly those events.
 */
describe('Alerts by verification', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  let receiver: TestHttpReceiver;
  let ihr: { id: string; secret: string };
  let hengawSource: { id: string; secret: string };
  const hengaw = { sourceId: '', name: 'Hengaw', kind: 'hr_ngo' };
  const hrana = { sourceId: randomUUID(), name: 'HRANA', kind: 'hr_ngo' };
  const tip = { sourceId: randomUUID(), name: 'A tip', kind: 'anonymous' };
  const iranWire = { sourceId: randomUUID(), name: 'IranWire', kind: 'independent_media' };
  let reportNumber = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    receiver = await startTestHttpReceiver();
    stack = await startTestStack(
      { smtpUrl: smtp.url, retrySchedule: [100, 200], webhookAllowPrivateTargets: true },
      quickSweeper(2_000),
    );
    ihr = await createSource(stack.api, 'Iran Human Rights');
    hengawSource = await createSource(stack.api, 'Hengaw');
    hengaw.sourceId = hengawSource.id;
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await smtp?.stop();
  });

  const webhookWatcher = async (persons: string[], minVerification?: Threshold) =>
    (await watchByWebhook(stack.api, { url: `${receiver.url}/${randomUUID()}`, watch: { persons }, minVerification }))
      .id;
  const emailWatcher = (email: string, persons: string[], minVerification?: Threshold) =>
    watchByEmail(stack.api, smtp, { email, watch: { persons }, minVerification });

  /** A report through a source's signed webhook (Iran Human Rights' unless told). */
  async function report(persons: string[], occurredOn = '2020-09-05', source = ihr): Promise<string> {
    const response = await postSigned(stack.api, source, {
      externalId: `verification-alerts-${++reportNumber}`,
      type: 'arrest',
      occurredOn,
      persons: persons.map((name) => ({ name })),
      source: { name: 'Iran Human Rights', url: 'https://iranhr.net/', status: 'confirmed' },
    });
    expect(response.status).toBe(201);
    return (await readJson(response)).incidentId;
  }

  /** Appends to the incident's stream in one transaction, after its last event. */
  async function append(incidentId: string, ...events: { type: string; data: Json }[]): Promise<void> {
    const streamId = incidentStreamId(incidentId);
    const {
      rows: [{ version }],
    } = await stack.db.pool.query('SELECT max(version)::int AS version FROM events WHERE stream_id = $1', [streamId]);
    await appendEvents(stack.db.pool, [
      {
        streamId,
        expected: version,
        events: events.map(({ type, data }) => ({ type, schemaVersion: 1, data: { incidentId, ...data } })),
      },
    ]);
  }

  const sourceAdded = (reportedBy: Json, occurredOn = '2020-09-05') => ({
    type: 'SourceAdded',
    data: {
      reportedBy,
      externalId: `other-${++reportNumber}`,
      source: { name: reportedBy.name, url: 'https://example.org/', status: 'confirmed' },
      occurredOn: { value: occurredOn, precision: 'day', calendar: 'gregorian' },
    },
  });

  /** Alert types a subscription was sent, in the order they were routed, once everything settled. */
  async function alertsOf(subscriptionId: string): Promise<string[]> {
    await stack.settled();
    const { rows } = await stack.db.pool.query(
      `SELECT alert_type FROM deliveries WHERE subscription_id = $1 ORDER BY created_at, cause_position`,
      [subscriptionId],
    );
    return rows.map((row) => row.alert_type);
  }

  it('alerts a reported watcher at once and of each new source; a corroborated one at the second source', async () => {
    const reported = await webhookWatcher(['Fictional Hamedan One']);
    const corroborated = await webhookWatcher(['Fictional Hamedan One'], 'corroborated');
    const mailReported = await emailWatcher('reported@example.org', ['Fictional Hamedan One']);
    const mailCorroborated = await emailWatcher('corroborated@example.org', ['Fictional Hamedan One'], 'corroborated');
    const incidentId = await report(['Fictional Hamedan One']);
    expect(await alertsOf(reported)).toEqual(['incident.recorded']);
    expect(await alertsOf(corroborated)).toEqual([]);
    expect(await alertsOf(mailCorroborated)).toEqual([]);

    // An anonymous source may report, never corroborate: no news for anyone.
    await append(incidentId, sourceAdded(tip));
    expect(await alertsOf(reported)).toEqual(['incident.recorded']);
    expect(await alertsOf(corroborated)).toEqual([]);

    await append(incidentId, sourceAdded(hengaw));
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.corroborated']);
    expect(await alertsOf(corroborated)).toEqual(['incident.recorded']);
    expect(await alertsOf(mailReported)).toEqual(['incident.recorded', 'incident.corroborated']);
    expect(await alertsOf(mailCorroborated)).toEqual(['incident.recorded']);

    // Each new source is news to those alerted, once.
    await append(incidentId, sourceAdded(hrana));
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.corroborated', 'incident.corroborated']);
    expect(await alertsOf(corroborated)).toEqual(['incident.recorded', 'incident.corroborated']);

    const [first, second] = await waitFor(
      () => {
        const bodies = receiver.requests
          .map((r) => JSON.parse(r.body))
          .filter((b) => b.data.incident.id === incidentId);
        return bodies.length === 5 && bodies;
      },
      { what: 'five webhooks' },
    );
    expect(first).toMatchObject({
      type: 'incident.recorded',
      data: {
        incident: {
          id: incidentId,
          verification: 'reported',
          officiallyAcknowledged: false,
          sources: [
            {
              id: ihr.id,
              name: 'Iran Human Rights',
              kind: 'hr_ngo',
              url: 'https://iranhr.net/',
              reportedAt: expect.stringMatching(/^\d{4}-/),
            },
          ],
        },
      },
    });
    const byType = (type: string, verification: string) =>
      receiver.requests
        .map((r) => JSON.parse(r.body))
        .filter((b) => b.data.incident.id === incidentId && b.type === type)
        .map((b) => b.data.incident)
        .find((incident) => incident.sources.length === 3 && incident.verification === verification);
    expect(second.data.incident.id).toBe(incidentId);
    const corroboratedBody = byType('incident.corroborated', 'corroborated');
    expect(corroboratedBody.sources.map((s: Json) => s.name)).toEqual(['Iran Human Rights', 'A tip', 'Hengaw']);
    expect(corroboratedBody.sources[2]).toEqual({
      id: hengaw.sourceId,
      name: 'Hengaw',
      kind: 'hr_ngo',
      url: 'https://example.org/',
      reportedAt: expect.any(String),
    });

    const mails = await waitFor(
      () => alertMailsTo(smtp, 'reported@example.org').length === 3 && alertMailsTo(smtp, 'reported@example.org'),
      {
        what: 'three mails',
      },
    );
    expect(mails.map((m) => m.subject)).toEqual([
      'Arrest: Fictional Hamedan One',
      'Corroborated — Arrest: Fictional Hamedan One',
      'Corroborated — Arrest: Fictional Hamedan One',
    ]);
    const flat = (text = '') => text.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ');
    expect(flat(mails[0].text)).toContain('Verification: reported by one source');
    expect(flat(mails[1].text)).toContain('Verification: corroborated by 2 independent sources');
    expect(flat(mails[1].text)).toContain('Sources: Iran Human Rights <https://iranhr.net/>; A tip');
    expect(flat(mails[2].text)).toContain('corroborated by 3 independent sources');
    const [corroboratedMail] = alertMailsTo(smtp, 'corroborated@example.org');
    expect(corroboratedMail.subject).toBe('Arrest: Fictional Hamedan One');
    expect(flat(corroboratedMail.text)).toContain('corroborated by 2 independent sources');
  });

  it('sends a dispute, a confirmation and a retraction to those who got the incident, and to no one else', async () => {
    const reported = await webhookWatcher(['Fictional Rahimi']);
    const corroborated = await webhookWatcher(['Fictional Rahimi'], 'corroborated');
    const confirmed = await webhookWatcher(['Fictional Rahimi'], 'confirmed');
    const mail = await emailWatcher('disputed@example.org', ['Fictional Rahimi']);
    const incidentId = await report(['Fictional Rahimi'], '2020-09-05');
    // A second source gives another day: one append adds the source and flags the conflict, one alert says both.
    await append(incidentId, sourceAdded(hengaw, '2020-09-06'), {
      type: 'ConflictFlagged',
      data: {
        field: 'occurredOn',
        values: [
          { value: { value: '2020-09-05', precision: 'day', calendar: 'gregorian' }, sources: [ihr.id] },
          { value: { value: '2020-09-06', precision: 'day', calendar: 'gregorian' }, sources: [hengaw.sourceId] },
        ],
      },
    });
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.disputed']);
    // Two sources agree that it happened: a dispute on its date does not hold the corroborated watcher back.
    expect(await alertsOf(corroborated)).toEqual(['incident.recorded']);
    expect(await alertsOf(confirmed)).toEqual([]);

    await append(incidentId, {
      type: 'ConflictResolved',
      data: { field: 'occurredOn', value: { value: '2020-09-06', precision: 'day', calendar: 'gregorian' } },
    });
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.disputed']);

    await append(incidentId, { type: 'IncidentConfirmed', data: {} });
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.disputed', 'incident.confirmed']);
    expect(await alertsOf(corroborated)).toEqual(['incident.recorded', 'incident.confirmed']);
    expect(await alertsOf(confirmed)).toEqual(['incident.recorded']);

    await append(incidentId, { type: 'IncidentRetracted', data: { reason: 'The sources withdrew it.' } });
    expect(await alertsOf(reported)).toEqual([
      'incident.recorded',
      'incident.disputed',
      'incident.confirmed',
      'incident.retracted',
    ]);
    expect(await alertsOf(corroborated)).toEqual(['incident.recorded', 'incident.confirmed', 'incident.retracted']);
    expect(await alertsOf(confirmed)).toEqual(['incident.recorded', 'incident.retracted']);

    const bodies = receiver.requests.map((r) => JSON.parse(r.body)).filter((b) => b.data.incident.id === incidentId);
    const disputed = bodies.find((b) => b.type === 'incident.disputed').data.incident;
    expect(disputed).toMatchObject({
      verification: 'disputed',
      conflicts: [
        {
          field: 'occurredOn',
          values: [
            { value: '2020-09-05', sources: [ihr.id] },
            { value: '2020-09-06', sources: [hengaw.sourceId] },
          ],
        },
      ],
    });
    const confirmedFirst = bodies.find((b) => b.type === 'incident.recorded' && b.data.incident.status === 'confirmed');
    expect(confirmedFirst.data.incident).toMatchObject({ verification: 'confirmed', occurredOn: '2020-09-06' });

    const mails = await waitFor(
      () => alertMailsTo(smtp, 'disputed@example.org').length === 4 && alertMailsTo(smtp, 'disputed@example.org'),
      {
        what: 'four mails',
      },
    );
    expect(mails.map((m) => (m.subject ?? '').split(' — ')[0])).toEqual([
      'Arrest: Fictional Rahimi',
      'Disputed',
      'Confirmed',
      'Retracted',
    ]);
    expect(mails[1].text?.replace(/\s+/g, ' ')).toContain('Verification: disputed: sources disagree on the date');
    expect(await alertsOf(mail)).toHaveLength(4);
  });

  it('sends nothing for a conflict resolved as two events, and alerts the separated report as a new incident', async () => {
    const reported = await webhookWatcher(['Fictional Separated']);
    const strict = await webhookWatcher(['Fictional Separated'], 'corroborated');
    const first = await report(['Fictional Separated'], '2020-09-05');
    await append(first, sourceAdded(hengaw, '2020-09-07'), {
      type: 'ConflictFlagged',
      data: {
        field: 'occurredOn',
        values: [
          { value: { value: '2020-09-05', precision: 'day', calendar: 'gregorian' }, sources: [ihr.id] },
          { value: { value: '2020-09-07', precision: 'day', calendar: 'gregorian' }, sources: [hengaw.sourceId] },
        ],
      },
    });
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.disputed']);
    expect(await alertsOf(strict)).toEqual(['incident.recorded']);
    // Two arrests two days apart: the intake records the disputing report as an incident of its own.
    const separated = await report(['Fictional Separated'], '2020-09-07', hengawSource);
    await append(first, {
      type: 'ConflictResolved',
      data: { field: 'occurredOn', separate: { sources: [hengaw.sourceId], separatedAs: separated } },
    });
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.disputed', 'incident.recorded']);
    expect(await alertsOf(strict)).toEqual(['incident.recorded']);
    // The first incident is back to what its own sources say: a new source corroborates it again.
    await append(first, sourceAdded(hrana));
    expect((await alertsOf(reported)).at(-1)).toBe('incident.corroborated');
    const { rows } = await stack.db.pool.query(
      `SELECT ${deliveryPayloadOf('d')}->'incident'->>'verification' AS verification
         FROM deliveries d WHERE d.subscription_id = $1 AND d.incident_id = $2 AND d.alert_type = 'incident.corroborated'`,
      [reported, first],
    );
    expect(rows).toEqual([{ verification: 'corroborated' }]);
  });

  it('alerts the watchers of a person a later report adds, once, and no one else again', async () => {
    const first = await webhookWatcher(['Fictional Named First']);
    const added = await webhookWatcher(['Fictional Named Later']);
    const addedCorroborated = await webhookWatcher(['Fictional Named Later'], 'corroborated');
    const incidentId = await report(['Fictional Named First']);
    // The person is known by a report of its own; the intake then adds them to this incident.
    await report(['Fictional Named Later'], '2021-01-01');
    await stack.settled();
    const {
      rows: [person],
    } = await stack.db.pool.query(
      `SELECT data->>'personId' AS "personId", data->>'name' AS name, data->>'key' AS key
         FROM events WHERE type = 'PersonRegistered' AND data->>'name' = 'Fictional Named Later'`,
    );
    const before = await alertsOf(added);
    await append(incidentId, { type: 'SubjectsAdded', data: { persons: [person], organizations: [] } });
    expect(await alertsOf(first)).toEqual(['incident.recorded']);
    expect(await alertsOf(added)).toEqual([...before, 'incident.recorded']);
    expect(await alertsOf(addedCorroborated)).toEqual([]);
  });

  it('alerts nobody again for a merge, and sends the survivor’s updates to whoever got either', async () => {
    const both = await webhookWatcher(['Fictional Merged A']);
    const second = await webhookWatcher(['Fictional Merged B']);
    const strict = await webhookWatcher(['Fictional Merged A'], 'corroborated');
    const strictSecond = await webhookWatcher(['Fictional Merged B'], 'corroborated');
    const strictSurvivor = await webhookWatcher(['Fictional Merged C'], 'corroborated');
    const survivor = await report(['Fictional Merged A', 'Fictional Merged C']);
    // Another source's report of a day the rule takes for another arrest, which a third source
    // corroborates, before an admin sees the two are one.
    const mergedAway = await report(['Fictional Merged A', 'Fictional Merged B'], '2020-10-20', hengawSource);
    await append(mergedAway, sourceAdded(hrana));
    const recorded = ['incident.recorded'];
    expect(await alertsOf(both)).toEqual([...recorded, ...recorded, 'incident.corroborated']);
    expect(await alertsOf(second)).toEqual([...recorded, 'incident.corroborated']);
    expect(await alertsOf(strict)).toEqual(recorded);
    expect(await alertsOf(strictSecond)).toEqual(recorded);
    expect(await alertsOf(strictSurvivor)).toEqual([]);

    const merged = await stack.api.request(`/v1/admin/incidents/${mergedAway}/merge`, {
      method: 'POST',
      admin: true,
      json: { into: survivor },
    });
    expect(merged.status).toBe(200);
    await stack.settled();
    // Whoever got either incident hears nothing of the merge.
    expect(await alertsOf(both)).toEqual([...recorded, ...recorded, 'incident.corroborated']);
    expect(await alertsOf(second)).toEqual([...recorded, 'incident.corroborated']);
    expect(await alertsOf(strict)).toEqual(recorded);
    expect(await alertsOf(strictSecond)).toEqual(recorded);
    // The merge made the survivor corroborated: the first time it meets this watcher's threshold.
    expect(await alertsOf(strictSurvivor)).toEqual(recorded);

    await append(survivor, sourceAdded(iranWire));
    for (const watcher of [both, second, strict, strictSecond, strictSurvivor]) {
      const alerts = await alertsOf(watcher);
      expect(alerts.filter((type) => type === 'incident.recorded').length).toBeGreaterThan(0);
      expect(alerts.at(-1)).toBe('incident.corroborated');
    }
    const { rows } = await stack.db.pool.query(
      `SELECT subscription_id AS id, count(*)::int AS n FROM deliveries
        WHERE incident_id = $1 AND alert_type = 'incident.corroborated' GROUP BY 1`,
      [survivor],
    );
    expect(rows.map(({ n }) => n)).toEqual([1, 1, 1, 1, 1]);
  });

  it('reads an incident it has no facts of from the log (recorded before it kept them)', async () => {
    const reported = await webhookWatcher(['Fictional Older']);
    const incidentId = await report(['Fictional Older']);
    expect(await alertsOf(reported)).toEqual(['incident.recorded']);
    await stack.db.pool.query('DELETE FROM alert_incidents WHERE incident_id = $1', [incidentId]);
    await append(incidentId, sourceAdded(hengaw));
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.corroborated']);
  });

  it('routes an append a batch of the log ends inside as one alert, as a batch holding all of it does', async () => {
    const reported = await webhookWatcher(['Fictional Cutappend']);
    const incidentId = await report(['Fictional Cutappend'], '2021-03-05');
    expect(await alertsOf(reported)).toEqual(['incident.recorded']);
    // The worker stopped, a router of its own is given batches that end after the append's first event.
    await stack.worker.close();
    const routed: QueuedDelivery[] = [];
    try {
      await append(incidentId, sourceAdded(hengaw, '2021-03-06'), {
        type: 'ConflictFlagged',
        data: {
          field: 'occurredOn',
          values: [
            { value: { value: '2021-03-05', precision: 'day', calendar: 'gregorian' }, sources: [ihr.id] },
            { value: { value: '2021-03-06', precision: 'day', calendar: 'gregorian' }, sources: [hengaw.sourceId] },
          ],
        },
      });
      const [added, flagged] = (await readStream(stack.db.pool, incidentStreamId(incidentId))).slice(-2);
      expect([added.type, flagged.type]).toEqual(['SourceAdded', 'ConflictFlagged']);
      const router = new AlertRouter({
        enqueue: async (deliveries: QueuedDelivery[]) => void routed.push(...deliveries),
      } as unknown as DeliveryQueues);
      for (const batch of [[added], [flagged]]) {
        const tx = await stack.db.pool.connect();
        try {
          await tx.query('BEGIN');
          await router.applyBatch(batch, tx);
          await tx.query('COMMIT');
        } finally {
          tx.release();
        }
        await router.afterCommit();
      }
    } finally {
      // The worker's own router finds both events routed (the facts' version is past them) and skips them.
      stack.worker = await startTestWorker(stack.config, quickSweeper(2_000));
    }
    await stack.worker.app.get(DeliveryQueues).enqueue(routed);
    expect(await alertsOf(reported)).toEqual(['incident.recorded', 'incident.disputed']);
  });

  it('sends nothing new when the alert router replays its input from the start', async () => {
    await stack.settled();
    const count = async () =>
      (await stack.db.pool.query('SELECT count(*)::int AS n FROM deliveries')).rows[0].n as number;
    const deliveries = await count();
    const mails = smtp.messages.length;
    const posts = receiver.requests.length;
    expect(deliveries).toBeGreaterThan(20);
    await stack.db.pool.query(
      `UPDATE consumer_checkpoints SET last_tx = '0', last_position = 0 WHERE name = 'alert-router'`,
    );
    await stack.db.pool.query(`SELECT pg_notify('vigil_events', '')`);
    await stack.settled();
    expect(await count()).toBe(deliveries);
    expect(smtp.messages.length).toBe(mails);
    expect(receiver.requests.length).toBe(posts);
  });

  describe('minVerification', () => {
    it('is shown wherever a subscription is read', async () => {
      const id = await webhookWatcher(['Fictional Listed'], 'confirmed');
      const hooks = await readJson(
        await stack.api.request('/v1/admin/webhook-subscriptions?limit=500', { admin: true }),
      );
      expect(hooks.items.find((s: Json) => s.id === id).minVerification).toBe('confirmed');
      const defaulted = await webhookWatcher(['Fictional Listed']);
      const again = await readJson(
        await stack.api.request('/v1/admin/webhook-subscriptions?limit=500', { admin: true }),
      );
      expect(again.items.find((s: Json) => s.id === defaulted).minVerification).toBe('reported');
      await emailWatcher('listed@example.org', ['Fictional Listed'], 'corroborated');
      const emails = await readJson(await stack.api.request('/v1/admin/subscriptions?limit=500', { admin: true }));
      expect(emails.items.find((s: Json) => s.email === 'listed@example.org').minVerification).toBe('corroborated');
    });

    it.each([['disputed'], ['retracted'], ['Reported'], [''], [1], [null], [['reported']]])(
      'refuses %j with a 400 problem and writes nothing',
      async (minVerification) => {
        const count = async () =>
          (await stack.db.pool.query('SELECT count(*)::int AS n FROM subscriptions')).rows[0].n as number;
        const before = await count();
        const hook = await stack.api.request('/v1/admin/webhook-subscriptions', {
          method: 'POST',
          admin: true,
          json: { url: receiver.url, watch: { persons: ['Fictional Refused'] }, minVerification },
        });
        await expectProblem(hook, 400);
        const mail = await stack.api.request('/v1/subscriptions', {
          method: 'POST',
          json: { email: 'refused@example.org', watch: { persons: ['Fictional Refused'] }, minVerification },
        });
        await expectProblem(mail, 400);
        expect(await count()).toBe(before);
      },
    );
  });
});
