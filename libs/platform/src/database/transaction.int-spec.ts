import { inTransaction } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';

describe(inTransaction.name, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('CREATE TABLE tx_probe (n int PRIMARY KEY)');
  });
  afterAll(() => db.drop());

  const count = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe')).rows[0].n;

  it('commits what the work wrote and returns its result', async () => {
    const result = await inTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO tx_probe VALUES (1), (2)');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await count()).toBe(2);
  });

  it('rolls back everything the work wrote when it throws, and rethrows its error', async () => {
    const before = await count();
    const failure = new Error('the work failed');
    await expect(
      inTransaction(db.pool, async (client) => {
        await client.query('INSERT INTO tx_probe VALUES (10)');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await count()).toBe(before);
  });

  it('surfaces the first error, not the rollback error, and does not return a broken client to the pool', async () => {
    const failure = new Error('the work failed after its connection died');
    await expect(
      inTransaction(db.pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Kill this very connection from another one: its ROLLBACK then fails too.
        await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    // Every client the pool hands out afterwards works: the dead one was destroyed, not released.
    for (let i = 0; i < 5; i++) {
      await expect(inTransaction(db.pool, (client) => client.query('SELECT 1'))).resolves.toBeDefined();
    }
  });
});
