import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { indexConditionsByGenericPlan, readWholeByGenericPlan } from '../../../../test/support/generic-plan';
import { MATCH_CANDIDATES_SQL } from './incident-match-index';
import { REPORT_LOOKUP_SQL } from './report-lookup';
import { NAME_KEY_CLAIM_SQL, NAME_KEY_OWNERS_SQL } from './subject-name-keys';

/**
 * The intake's named statements are planned once per connection. On a new database every table looks
 * tiny, and a plan that scans them whole would stay cached while they grow (it did: the intake slowed by
 * half within a minute of a fresh start). So each statement must probe by key even in a generic plan
 * made on empty tables.
 */
describe('intake statements on a new database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it.each([
    ['the report lookup', REPORT_LOOKUP_SQL],
    ['the name key owners', NAME_KEY_OWNERS_SQL],
    ['the name key claim', NAME_KEY_CLAIM_SQL],
    ['the candidate incidents', MATCH_CANDIDATES_SQL],
  ])('%s reads no table or index whole under a generic plan', async (_, sql) => {
    expect(await readWholeByGenericPlan(db.pool, sql)).toEqual([]);
  });

  it("probes each subject's incidents by type, subject and id, not every incident of the type", async () => {
    // A generic plan made on empty tables once joined the subjects with every incident of the type.
    const conditions = await indexConditionsByGenericPlan(db.pool, MATCH_CANDIDATES_SQL, 'incident_match_subjects');
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) expect(condition).toMatch(/subject_id = /);
  });

  it("probes each candidate's dates by its id, not every incident's dates", async () => {
    const conditions = await indexConditionsByGenericPlan(db.pool, MATCH_CANDIDATES_SQL, 'incident_match_dates');
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) expect(condition).toMatch(/incident_id = /);
  });
});
