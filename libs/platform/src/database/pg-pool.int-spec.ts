import { createGenericPlanPool, createPgPool } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';

describe(createPgPool.name, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('opens sessions that never JIT-compile, and leaves the choice of plans to PostgreSQL', async () => {
    const pool = createPgPool(db.url, 1);
    try {
      const { rows } = await pool.query<{ jit: string; plan_cache_mode: string }>(
        `SELECT current_setting('jit') AS jit, current_setting('plan_cache_mode') AS plan_cache_mode`,
      );
      expect(rows).toEqual([{ jit: 'off', plan_cache_mode: 'auto' }]);
    } finally {
      await pool.end();
    }
  });

  it('runs named statements by their generic plan from the first run on a GenericPlanPool, and only there', async () => {
    const pool = createPgPool(db.url, 1);
    const genericPlans = createGenericPlanPool(db.url, 'vigil-test', 2);
    try {
      const statement = { name: 'generic-probe', text: 'SELECT $1::int + 1 AS n', values: [1] };
      expect((await genericPlans.query<{ n: number }>(statement)).rows).toEqual([{ n: 2 }]);
      expect((await genericPlans.query<{ n: number }>({ ...statement, values: [2] })).rows).toEqual([{ n: 3 }]);
      await pool.query(statement);
      const plans = `SELECT generic_plans, custom_plans, current_setting('plan_cache_mode') AS mode
                       FROM pg_prepared_statements WHERE name = 'generic-probe'`;
      // Both runs by the generic plan, in one statement each (no transaction to set it in).
      expect((await genericPlans.query({ name: 'plans', text: plans })).rows).toEqual([
        { generic_plans: 2, custom_plans: 0, mode: 'force_generic_plan' },
      ]);
      // The process's pool, left to PostgreSQL: custom (one of its first five runs).
      expect((await pool.query(plans)).rows).toEqual([{ generic_plans: 0, custom_plans: 1, mode: 'auto' }]);
    } finally {
      await Promise.all([pool.end(), genericPlans.end()]);
    }
  });
});
