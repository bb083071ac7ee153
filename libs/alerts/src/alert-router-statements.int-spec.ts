import { readWholeByGenericPlan } from '../../../test/support/generic-plan';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ALERT_INCIDENTS_LOAD_SQL, ALERT_INCIDENTS_SAVE_SQL } from './alert-incidents';
import { ROUTE_RECORDED_SQL, ROUTE_UPDATE_SQL } from './alert-router';

/**
 * The alert router's statements are named, so each connection plans them once. Made on a young database, a
 * plan that reads alert_subject_keys, subscription_watches, subscriptions or deliveries whole would stay
 * cached while they grow (a hash join over alert_subject_keys made the router's catch-up quadratic in the
 * log: docs/scaling.md). Every statement must probe by key whatever the tables looked like when it was made.
 */
describe('alert router statements on a new database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
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
