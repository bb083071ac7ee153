import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { parsePartialDate } from '@vigil/domain';
import { planNodes, readWholeByGenericPlan, type PlanNode } from '../../../test/support/generic-plan';
import { incidentEvents } from '../../../test/support/incident-events';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ALERT_INCIDENTS_LOAD_SQL, ALERT_INCIDENTS_SAVE_SQL } from './alert-incidents';
import { AlertRouter, ROUTE_RECORDED_SQL, ROUTE_UPDATE_SQL } from './alert-router';
import type { DeliveryQueues } from './delivery-queues';

/**
 * The router's tables as a deployment grows them, analysed (autovacuum does it as they grow): subjects with
 * their keys, memberships and a few merges; most subscribers watching one organisation (by id and by key), a
 * few watching a person of their own; each subscriber alerted about a few incidents already. Watchers of a
 * subject are the rows a probe returns, and here the statistics say a subject has hundreds of them: the plan
 * must still probe for the subjects nobody watches (nearly every subject an incident names).
 */
async function growLikeADeployment(pool: Pool): Promise<void> {
  await pool.query(`
    INSERT INTO alert_subject_keys (subject, key, subject_id)
    SELECT s.subject, md5(s.id::text || k), s.id
      FROM (SELECT CASE WHEN i % 20 = 0 THEN 'organization' ELSE 'person' END AS subject, gen_random_uuid() AS id
              FROM generate_series(1, 4000) AS i) s, generate_series(1, 2) AS k`);
  await pool.query(`
    INSERT INTO alert_memberships (person_id, organization_id)
    SELECT p.subject_id, o.subject_id
      FROM (SELECT DISTINCT subject_id, row_number() OVER () AS n FROM alert_subject_keys WHERE subject = 'person') p
      JOIN (SELECT subject_id, row_number() OVER () AS n FROM (SELECT DISTINCT subject_id FROM alert_subject_keys
                                                                WHERE subject = 'organization') o) o
        ON o.n = p.n % 200 + 1
    ON CONFLICT DO NOTHING`);
  await pool.query(`
    INSERT INTO alert_subject_merges (subject, merged_id, into_id, root_id)
    SELECT 'person', gen_random_uuid(), r.id, r.id FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 1000)) r,
           generate_series(1, 2)`);
  await pool.query(`
    INSERT INTO subscriptions (id, channel, status, confirmed_at)
    SELECT gen_random_uuid(), 'email', 'active', now() FROM generate_series(1, 2000)`);
  await pool.query(`
    INSERT INTO subscription_watches (subscription_id, subject, subject_id, key, label)
    SELECT s.id, 'organization', '00000000-0000-4000-8000-000000000001'::uuid, 'hot organisation', 'sealed label'
      FROM subscriptions s`);
  await pool.query(`
    INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload, status)
    SELECT gen_random_uuid(), 'email', s.id, i.id, 'incident.recorded', '{}', 'delivered'
      FROM subscriptions s, (SELECT gen_random_uuid() AS id) i`);
  await pool.query(`
    INSERT INTO alert_incidents (incident_id, version, facts)
    SELECT gen_random_uuid(), 4, '{}' FROM generate_series(1, 5000)`);
  await pool.query('ANALYZE');
}

/**
 * The alert router's statements are named, so each connection plans them once. Made on a young database, a
 * plan that reads alert_subject_keys, subscription_watches, subscriptions or deliveries whole would stay
 * cached while they grow (a hash join over alert_subject_keys made the router's catch-up quadratic in the
 * log: docs/scaling.md). Made on analysed tables where one organisation has most watchers, the watchers'
 * probes read subscription_watches whole for every subject an incident names (docs/scaling.md, "the alert
 * router's catch-up"). Every statement must probe by key whatever the tables looked like when it was made.
 */
describe.each([
  ['a new database', async () => undefined],
  ['tables grown like a deployment, analysed', growLikeADeployment],
])('alert router statements on %s', (_, grow) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await grow(db.pool);
  });
  afterAll(() => db.drop());

  it.each([
    ['incident.recorded routing', ROUTE_RECORDED_SQL],
    ['update routing', ROUTE_UPDATE_SQL],
    ['the facts load', ALERT_INCIDENTS_LOAD_SQL],
    ['the facts save', ALERT_INCIDENTS_SAVE_SQL],
  ])('%s reads no table or index whole under a generic plan', async (_, sql) => {
    expect(await readWholeByGenericPlan(db.pool, sql)).toEqual([]);
  });
});

/**
 * A famous prisoner's watchers have had many alerts; the next one about her must cost the router the same as
 * the first. The recorded routing's "alerted before" test once probed deliveries_recorded_once by the
 * subscription alone and filtered every earlier alert of it by incident, so a fan-out read its watchers'
 * whole history (docs/scaling.md, "A subscriber's history").
 */
describe('the recorded routing of a subscriber alerted many times before', () => {
  let db: TestDatabase;
  const organizationId = randomUUID();
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO subscriptions (id, channel, status, confirmed_at)
       SELECT gen_random_uuid(), 'email', 'active', now() - interval '1 day' FROM generate_series(1, 50)`,
    );
    await db.pool.query(
      `INSERT INTO subscription_watches (subscription_id, subject, subject_id, key, label)
       SELECT id, 'organization', $1, 'the watched organisation', 'sealed label' FROM subscriptions`,
      [organizationId],
    );
    // Forty earlier alerts each, about forty other incidents.
    await db.pool.query(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload, status)
       SELECT gen_random_uuid(), 'email', s.id, i.id, 'incident.recorded', '{}', 'delivered'
         FROM subscriptions s, (SELECT gen_random_uuid() AS id FROM generate_series(1, 40)) i`,
    );
    await db.pool.query('ANALYZE');
  });
  afterAll(() => db.drop());

  /** Index entries and rows a plan node read, over all its loops (EXPLAIN ANALYZE averages them per loop). */
  const rowsRead = (node: PlanNode) =>
    ((node['Actual Rows'] ?? 0) +
      (node['Rows Removed by Filter'] ?? 0) +
      (node['Rows Removed by Index Recheck'] ?? 0)) *
    (node['Actual Loops'] ?? 1);

  it('reads none of their earlier alerts: each is probed for this incident only', async () => {
    const incidentId = randomUUID();
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      // The router's generic plan (alert-router.ts), run on this incident and rolled back.
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await client.query(
        `PREPARE routing (uuid, uuid[], uuid[], text[], text[], text, timestamptz, bigint, text[], uuid[], text)
           AS ${ROUTE_RECORDED_SQL}`,
      );
      const incident = client.escapeLiteral(incidentId);
      const organization = client.escapeLiteral(organizationId);
      const { rows } = await client.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE routing(${incident}, '{}', ARRAY[${organization}::uuid], '{}', '{}',
           'arrest', now(), 10, '{reported}', ARRAY[${incident}::uuid], 'prefix')`,
      );
      const plan = rows[0]['QUERY PLAN'][0].Plan as PlanNode;
      const { rows: indexes } = await client.query<{ name: string }>(
        `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'deliveries'`,
      );
      const ofDeliveries = (node: PlanNode) =>
        node['Node Type'] !== 'ModifyTable' &&
        (node['Relation Name'] === 'deliveries' || indexes.some(({ name }) => name === node['Index Name']));
      const probes = planNodes(plan).filter(ofDeliveries);

      expect(plan['Actual Rows']).toBe(50); // every watcher alerted
      expect(probes.length).toBeGreaterThan(0);
      expect(probes.map(rowsRead)).toEqual(probes.map(() => 0));
    } finally {
      await client.query('ROLLBACK');
      await client.query('DEALLOCATE ALL');
      client.release();
    }
  });
});

/**
 * What the spec above EXPLAINs is what the router runs: left to itself PostgreSQL planned the recorded routing
 * afresh on every run (it guesses the generic plan dearer than a custom one, which knows the arrays' lengths),
 * three quarters of the statement's time at a million events (docs/scaling.md, "the alert router's catch-up"),
 * with whatever plan the statistics of the day gave.
 */
describe('the alert router', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const ihr = { sourceId: 'ihr', name: 'Iran Human Rights', kind: 'hr_ngo' };
  const hengaw = { sourceId: 'hengaw', name: 'Hengaw', kind: 'hr_ngo' };
  const source = { name: 'a report', url: 'https://example.org/', status: 'confirmed' };
  const event = incidentEvents();

  it('runs its routing statements by their generic plans, planned once per connection', async () => {
    const incidents = Array.from({ length: 8 }, () => randomUUID());
    const occurredOn = parsePartialDate('2024-03-05');
    const events = [
      ...incidents.map((id) =>
        event(id, 1, 'ArrestRecorded', {
          sourceId: ihr.sourceId,
          reportedBy: ihr,
          occurredOn,
          persons: [{ personId: randomUUID(), name: 'Zahra Rahimi', key: 'zahra rahimi' }],
          organizations: [],
          details: {},
          source,
        }),
      ),
      ...incidents.map((id) => event(id, 2, 'SourceAdded', { reportedBy: hengaw, source, occurredOn })),
    ];
    const router = new AlertRouter({ enqueue: async () => undefined } as unknown as DeliveryQueues);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await router.applyBatch(events, client);
      await client.query('COMMIT');
      const { rows } = await client.query(
        `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements
          WHERE name LIKE 'alert-router-%' ORDER BY name`,
      );
      expect(rows).toEqual([
        { name: 'alert-router-route-recorded', generic_plans: 16, custom_plans: 0 },
        { name: 'alert-router-route-update', generic_plans: 8, custom_plans: 0 },
      ]);
    } finally {
      client.release();
    }
  });
});
