import { createPgPool, queryByGenericPlan } from '@vigil/platform';
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

  it('runs a named statement by its generic plan on asking, and the session goes back to choosing', async () => {
    const pool = createPgPool(db.url, 1);
    try {
      const statement = { name: 'generic-probe', text: 'SELECT $1::int + 1 AS n', values: [1] };
      expect((await queryByGenericPlan<{ n: number }>(pool, statement)).rows).toEqual([{ n: 2 }]);
      await pool.query(statement);
      const { rows } = await pool.query(
        `SELECT generic_plans, custom_plans, current_setting('plan_cache_mode') AS mode
           FROM pg_prepared_statements WHERE name = 'generic-probe'`,
      );
      // The first run by the generic plan; the second, left to PostgreSQL, custom (one of its first five).
      expect(rows).toEqual([{ generic_plans: 1, custom_plans: 1, mode: 'auto' }]);
    } finally {
      await pool.end();
    }
  });
});
