import { appendEvents, type NewEvent } from '@vigil/event-store';
import { createLogger } from '@vigil/platform';
import { waitUntilCaughtUp } from '../../../test/support/caught-up';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { Projection } from './consumer';
import { ConsumerRunner } from './consumer-runner';
import { rebuildProjection } from './rebuild-projection';

// A projection's tables that nothing has analysed are analysed once by its runner while it catches up
// (table-statistics.ts): without statistics the planner reads a table whole for a probe of a batch's values.

describe('a projection runner and the statistics of its tables', () => {
  let db: TestDatabase;
  const runners: ConsumerRunner[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await db.drop();
  });

  async function startRunner(projection: Projection, batchSize: number): Promise<void> {
    const runner = new ConsumerRunner(db.pool, projection, {
      databaseUrl: db.url,
      logger: createLogger('test', 'silent'),
      batchSize,
      pollIntervalMs: 50,
      lockIntervalMs: 100,
    });
    runners.push(runner);
    await runner.start();
  }

  /**
   * What ANALYZE has recorded of each table: the columns with statistics, how many times it ran, and the table's
   * size in pages when it last ran.
   */
  async function statistics(tables: string[]) {
    const { rows } = await db.pool.query<{ table: string; columns: number; analyses: number; pages: number }>(
      `SELECT t AS table,
              (SELECT count(*)::int FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = t) AS columns,
              (SELECT (analyze_count + autoanalyze_count)::int FROM pg_stat_user_tables u WHERE u.relname = t) AS analyses,
              (SELECT relpages FROM pg_class c WHERE c.oid = to_regclass(t)) AS pages
         FROM unnest($1::text[]) AS t ORDER BY t`,
      [tables],
    );
    return rows;
  }

  it('analyses a table as a catch-up fills it: after its first batch, each time it has grown fourfold, and after a rebuild; never an empty one', async () => {
    await db.pool.query(`CREATE TABLE probed (position bigint PRIMARY KEY, n int NOT NULL)`);
    await db.pool.query(`CREATE TABLE never_written (position bigint PRIMARY KEY)`);
    // The shared test server may run autovacuum: it must not be what analyses these tables.
    await db.pool.query(`ALTER TABLE probed SET (autovacuum_enabled = false)`);
    await db.pool.query(`ALTER TABLE never_written SET (autovacuum_enabled = false)`);
    const projection: Projection = {
      name: 'probed',
      handles: ['T'],
      tables: ['never_written', 'probed'],
      async applyBatch(events, tx) {
        await tx.query(`INSERT INTO probed (position, n) SELECT * FROM unnest($1::bigint[], $2::int[])`, [
          events.map((event) => event.position),
          events.map((event) => (event.data as { n: number }).n),
        ]);
      },
    };
    for (let append = 0; append < 4; append++) {
      const events: NewEvent[] = Array.from({ length: 500 }, (_, n) => ({ type: 'T', schemaVersion: 1, data: { n } }));
      await appendEvents(db.pool, [{ streamId: `probed-${append}`, expected: 'any', events }]);
    }
    expect(await statistics(['never_written', 'probed'])).toEqual([
      { table: 'never_written', columns: 0, analyses: 0, pages: 0 },
      { table: 'probed', columns: 0, analyses: 0, pages: 0 },
    ]);

    // 185 rows a page: 2,000 rows fill 11 pages in batches of 100. Analysed after the first batch (1 page), then
    // once the table reaches 4 pages (the sixth batch); 16 pages it never reaches.
    await startRunner(projection, 100);
    await waitUntilCaughtUp(db.pool, 'probed');
    expect(await statistics(['never_written', 'probed'])).toEqual([
      { table: 'never_written', columns: 0, analyses: 0, pages: 0 },
      { table: 'probed', columns: 2, analyses: 2, pages: 4 },
    ]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM probed`)).rows[0].n).toBe(2_000);

    // A rebuild empties the table: its statistics stay, its size is forgotten, so it is analysed once it holds
    // four pages again.
    await rebuildProjection(db.pool, projection);
    await waitUntilCaughtUp(db.pool, 'probed');
    expect(await statistics(['never_written', 'probed'])).toEqual([
      { table: 'never_written', columns: 0, analyses: 0, pages: 0 },
      { table: 'probed', columns: 2, analyses: 3, pages: 4 },
    ]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM probed`)).rows[0].n).toBe(2_000);
  });

  it('does not hold a catch-up behind a VACUUM of its table: it goes on without statistics and analyses at a later catch-up', async () => {
    await db.pool.query(`CREATE TABLE held (position bigint PRIMARY KEY)`);
    await db.pool.query(`ALTER TABLE held SET (autovacuum_enabled = false)`);
    const projection: Projection = {
      name: 'held',
      handles: ['H'],
      tables: ['held'],
      async applyBatch(events, tx) {
        await tx.query(`INSERT INTO held (position) SELECT unnest($1::bigint[])`, [events.map((e) => e.position)]);
      },
    };
    const append = (count: number) =>
      appendEvents(db.pool, [
        {
          streamId: `held-${count}`,
          expected: 'any',
          events: Array.from({ length: count }, (_, n) => ({ type: 'H', schemaVersion: 1, data: { n } })),
        },
      ]);
    await append(60);
    // What a VACUUM of the table holds: writes go on, ANALYZE waits.
    const vacuum = await db.pool.connect();
    await vacuum.query('BEGIN');
    await vacuum.query('LOCK TABLE held IN SHARE UPDATE EXCLUSIVE MODE');
    try {
      await startRunner(projection, 20);
      // Caught up though the table could not be analysed (the statement timeout, 30 s, would stall it longer).
      await waitUntilCaughtUp(db.pool, 'held', { timeoutMs: 20_000 });
      expect(await statistics(['held'])).toEqual([{ table: 'held', columns: 0, analyses: 0, pages: 0 }]);
      expect((await db.pool.query(`SELECT count(*)::int AS n FROM held`)).rows[0].n).toBe(60);

      await vacuum.query('COMMIT');
      await append(60);
      await waitUntilCaughtUp(db.pool, 'held');
      expect(await statistics(['held'])).toEqual([{ table: 'held', columns: 1, analyses: 1, pages: 1 }]);
    } finally {
      await vacuum.query('ROLLBACK').catch(() => undefined);
      vacuum.release();
    }
  });
});
