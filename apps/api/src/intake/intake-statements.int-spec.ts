import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { REPORT_LOOKUP_SQL } from './report-lookup';
import { NAME_KEY_CLAIM_SQL, NAME_KEY_OWNERS_SQL } from './subject-name-keys';

const KEYED_TABLES = ['subject_name_keys', 'events', 'idempotency_keys'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const scans = (node: PlanNode): string[] => [
  ...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name']!] : []),
  ...(node.Plans ?? []).flatMap(scans),
];

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
    ['the report lookup', REPORT_LOOKUP_SQL, 5],
    ['the name key owners', NAME_KEY_OWNERS_SQL, 2],
    ['the name key claim', NAME_KEY_CLAIM_SQL, 3],
  ])('%s reads keyed tables by index under a generic plan', async (_, sql, parameters) => {
    const client = await db.pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE statement AS ${sql}`);
      const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE statement(${nulls})`);
      const plan = rows[0]['QUERY PLAN'][0].Plan as PlanNode;
      expect(scans(plan).filter((table) => KEYED_TABLES.includes(table))).toEqual([]);
    } finally {
      await client.query('DEALLOCATE ALL');
      await client.query('RESET plan_cache_mode');
      client.release();
    }
  });
});
