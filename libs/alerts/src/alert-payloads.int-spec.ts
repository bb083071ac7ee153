import { randomUUID } from 'node:crypto';
import { parsePartialDate } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import { inTransaction, SecretBox } from '@vigil/platform';
import { StoreAlertPayloadsOnce1764389700000 as Migration } from '../../platform/src/migrations/1764389700000-StoreAlertPayloadsOnce';
import { incidentEvents } from '../../../test/support/incident-events';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { AlertRouter } from './alert-router';
import { Deliveries, forgetSubscriberInDeliveries, type DeliveryRow } from './deliveries';
import type { DeliveryQueues } from './delivery-queues';
import { EmailSubscriptions } from './email-subscriptions';
import { incidentPayload, type RecordedIncidentEvent } from './incident-payload';
import { newToken } from './subscription-tokens';

const KEYS = { secretsKey: 'test-secrets-key-0123456789abcdef0123456789', previousSecretsKeys: [] };

/**
 * The incident of an alert is stored once, in alert_payloads, and every delivery row of the alert reads it
 * through the join (docs/decisions/0032-a-payload-stored-once-per-alert.md): the rows keep only what is their
 * own, what they matched and the labels watched.
 */
describe('alert payloads stored once per alert', () => {
  let db: TestDatabase;
  let deliveries: Deliveries;
  const ihr = { sourceId: 'ihr', name: 'Iran Human Rights', kind: 'hr_ngo' };
  const hengaw = { sourceId: 'hengaw', name: 'Hengaw', kind: 'hr_ngo' };
  const source = { name: 'a report', url: 'https://example.org/', status: 'confirmed' };
  const incidentId = randomUUID();
  const subscribers = [
    { email: 'fictional.cousin@example.org', label: 'Fictional Cousin Zahra' },
    { email: 'fictional.lawyer@example.org', label: 'FICTIONAL zahra rahimi' },
  ];
  const subscriptionIds: string[] = [];
  const events = incidentEvents(100);
  const event = (streamVersion: number, type: string, data: object): RecordedEvent =>
    events(incidentId, streamVersion, type, data);
  const recorded = event(1, 'ArrestRecorded', {
    sourceId: ihr.sourceId,
    reportedBy: ihr,
    occurredOn: parsePartialDate('2024-03-05'),
    persons: [{ personId: randomUUID(), name: 'Zahra Rahimi', key: 'zahra rahimi' }],
    organizations: [],
    details: {},
    source,
  });
  const corroborated = event(2, 'SourceAdded', {
    reportedBy: hengaw,
    source,
    occurredOn: parsePartialDate('2024-03-05'),
  });
  const route = (events: RecordedEvent[]) =>
    inTransaction(db.pool, (tx) =>
      new AlertRouter({ enqueue: async () => undefined } as unknown as DeliveryQueues).applyBatch(events, tx),
    );
  const rowsOf = async (alertType: string): Promise<DeliveryRow[]> => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM deliveries WHERE incident_id = $1 AND alert_type = $2 ORDER BY subscription_id`,
      [incidentId, alertType],
    );
    return Promise.all(rows.map(async ({ id }) => (await deliveries.find(id))!));
  };
  const stored = async () =>
    (
      await db.pool.query<{ cause: number; incident: Record<string, unknown> }>(
        `SELECT cause_position::int AS cause, incident FROM alert_payloads ORDER BY cause_position`,
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    deliveries = new Deliveries(db.pool, KEYS);
    const subscriptions = new EmailSubscriptions(db.pool, KEYS);
    for (const { email, label } of subscribers) {
      const unsubscribe = newToken();
      const id = await subscriptions.create({
        email,
        watches: [{ subject: 'person', key: 'zahra rahimi', label }],
        confirmTokenHash: newToken().hash,
        confirmExpiresAt: new Date(Date.now() + 60_000),
        unsubscribeTokenHash: unsubscribe.hash,
        unsubscribeTokenBox: new SecretBox(KEYS.secretsKey).seal(unsubscribe.token),
      });
      await db.pool.query(
        `UPDATE subscriptions SET status = 'active', confirmed_at = now() - interval '1 minute' WHERE id = $1`,
        [id],
      );
      subscriptionIds.push(id);
    }
    subscriptionIds.sort();
  });
  afterAll(() => db.drop());

  it('stores the incident the router built once for the alert, and each row reads it through the join', async () => {
    await route([recorded]);
    const incident = incidentPayload(recorded as RecordedIncidentEvent);
    expect(await stored()).toEqual([{ cause: recorded.position, incident }]);
    const rows = await rowsOf('incident.recorded');
    expect(rows.map((row) => row.subscriptionId)).toEqual(subscriptionIds);
    for (const row of rows) expect(row.payload.incident).toEqual(incident);
    // The rows hold no copy of it: only what each matched and the label it watched, sealed.
    const { rows: own } = await db.pool.query(`SELECT payload FROM deliveries WHERE incident_id = $1`, [incidentId]);
    for (const { payload } of own) expect(Object.keys(payload).sort()).toEqual(['matched', 'watched']);
    // A mail's try reads it too, with the subscriber's own label opened.
    const { rows: jobs } = await db.pool.query(`SELECT job_id FROM deliveries WHERE id = $1`, [rows[0].id]);
    const mail = await deliveries.startMailTry(rows[0].id, jobs[0].job_id);
    expect(mail?.payload.incident).toEqual(incident);
    const labels = subscribers.map((s) => s.label);
    expect(labels).toContain(mail?.payload.watched[0]);
    // And the subscriber's manage page, which lists the alerts it was sent.
    const recent = await deliveries.recentForSubscription(subscriptionIds[1], 5);
    expect(recent).toEqual([{ alertType: 'incident.recorded', incident, createdAt: expect.any(Date) }]);
  });

  it("gives an update's rows the incident after the update, and leaves the first alert's as it was sent", async () => {
    await route([corroborated]);
    const [first, update] = await stored();
    expect(update).toMatchObject({ cause: corroborated.position, incident: { verification: 'corroborated' } });
    expect(first.incident).toMatchObject({ verification: 'reported' });
    const updates = await rowsOf('incident.corroborated');
    expect(updates.map((row) => row.subscriptionId)).toEqual(subscriptionIds);
    for (const row of updates) expect(row.payload.incident).toEqual(update.incident);
    for (const row of await rowsOf('incident.recorded')) expect(row.payload.incident).toEqual(first.incident);
    // What each matched and watched is carried on from its first alert.
    const recordedRows = await rowsOf('incident.recorded');
    expect(updates.map((row) => row.payload.watched)).toEqual(recordedRows.map((row) => row.payload.watched));
  });

  it("keeps the alert's incident on a subscriber's erasure, and nothing of the subscriber is in it", async () => {
    const [erased] = subscriptionIds;
    await inTransaction(db.pool, (client) => forgetSubscriberInDeliveries(client, erased));
    for (const row of [...(await rowsOf('incident.recorded')), ...(await rowsOf('incident.corroborated'))]) {
      expect(row.payload.incident).toMatchObject({ id: incidentId });
      if (row.subscriptionId === erased) expect(row.payload.watched).toBeUndefined();
      else expect(row.payload.watched).toHaveLength(1);
    }
    const { rows } = await db.pool.query<{ row: string }>(`SELECT p::text AS row FROM alert_payloads p`);
    for (const { row } of rows) {
      for (const id of subscriptionIds) expect(row).not.toContain(id);
      for (const { email, label } of subscribers) {
        expect(row.toLowerCase()).not.toContain(email);
        expect(row).not.toContain(label);
      }
      // Nothing sealed: the document is the same for every watcher.
      expect(row).not.toMatch(/v2\.[0-9a-f]{8}\./);
    }
  });

  it("has its migration put each row's incident back going down, and move them again, one per alert, going up", async () => {
    // A row as an older version could leave it: its own incident, unlike its alert's (written earlier).
    const legacy = randomUUID();
    const legacyIncident = { id: incidentId, summary: 'as it was routed before rows had a cause' };
    await db.pool.query(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, cause_position, payload, created_at)
       VALUES ($1, 'email', $2, $3, 'incident.confirmed', $4, $5, now() - interval '1 day')`,
      [legacy, subscriptionIds[1], incidentId, recorded.position, { incident: legacyIncident, matched: {} }],
    );
    const before = [...(await rowsOf('incident.recorded')), ...(await rowsOf('incident.corroborated'))];
    const payloads = await stored();
    const runner = { query: (sql: string) => db.pool.query(sql) } as never;

    await new Migration().down(runner);
    const { rows: down } = await db.pool.query<{ id: string; payload: DeliveryRow['payload'] }>(
      `SELECT id, payload FROM deliveries WHERE incident_id = $1`,
      [incidentId],
    );
    for (const row of before) expect(down.find((d) => d.id === row.id)?.payload).toEqual(row.payload);
    expect(down.find((d) => d.id === legacy)?.payload.incident).toEqual(legacyIncident);
    expect((await db.pool.query(`SELECT to_regclass('alert_payloads') AS t`)).rows).toEqual([{ t: null }]);

    await new Migration().up(runner);
    expect(await stored()).toEqual(payloads);
    const { rows: up } = await db.pool.query<{ id: string; payload: DeliveryRow['payload'] }>(
      `SELECT id, payload FROM deliveries WHERE incident_id = $1`,
      [incidentId],
    );
    for (const row of up) expect('incident' in row.payload).toBe(row.id === legacy);
    for (const row of before) expect((await deliveries.find(row.id))?.payload).toEqual(row.payload);
    expect((await deliveries.find(legacy))?.payload.incident).toEqual(legacyIncident);
  });
});
