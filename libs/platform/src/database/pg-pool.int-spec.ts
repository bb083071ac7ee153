import { createPgPool } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';

describe(createPgPool.name, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('opens sessions that run the generic plan of a named statement, never JIT-compiled', async () => {
    const pool = createPgPool(db.url, 1);
    try {
      const { rows } = await pool.query<{ jit: string; plan_cache_mode: string }>(
        `SELECT current_setting('jit') AS jit, current_setting('plan_cache_mode') AS plan_cache_mode`,
      );
      expect(rows).toEqual([{ jit: 'off', plan_cache_mode: 'force_generic_plan' }]);
    } finally {
      await pool.end();
    }
  });
});
