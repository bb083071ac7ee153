import { appendEvents, type NewEvent } from '@vigil/event-store';
import { createLogger, type ErrorReporter } from '@vigil/platform';
import { waitUntilCaughtUp } from '../../../test/support/caught-up';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { Projection } from './consumer';
import { ConsumerRunner } from './consumer-runner';
import { rebuildProjection } from './rebuild-projection';

// A projection's tables of 128 pages or more are analysed by its runner while it catches up, when they have no
// statistics or have grown fourfold since (table-statistics.ts): without statistics the planner reads a table whole
// for a probe of a batch's values.

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

  async function startRunner(
    projection: Projection,
    batchSize: number,
    errors?: ErrorReporter,
  ): Promise<ConsumerRunner> {
    const runner = new ConsumerRunner(db.pool, projection, {
      databaseUrl: db.url,
      logger: createLogger('test', 'silent'),
      errors,
      batchSize,
      pollIntervalMs: 50,
      lockIntervalMs: 100,
    });
    runners.push(runner);
    await runner.start();
    return runner;
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

  /**
   * A projection of `type` events into `table`, rows of about a kilobyte: 7 to a page, so that a table of a few
   * thousand rows passes STATISTICS_MIN_PAGES (128 pages: 896 rows) and the fourfold growth after it.
   */
  async function wideProjection(name: string, type: string, tables: string[]): Promise<Projection> {
    const table = tables[tables.length - 1];
    for (const each of tables) {
      await db.pool.query(`CREATE TABLE ${each} (position bigint PRIMARY KEY, pad text NOT NULL)`);
      // The shared test server may run autovacuum: it must not be what analyses these tables.
      await db.pool.query(`ALTER TABLE ${each} SET (autovacuum_enabled = false)`);
    }
    return {
      name,
      handles: [type],
      tables,
      async applyBatch(events, tx) {
        await tx.query(`INSERT INTO ${table} (position, pad) SELECT p, repeat('x', 1000) FROM unnest($1::bigint[]) p`, [
          events.map((event) => event.position),
        ]);
      },
    };
  }

  const append = async (type: string, count: number) => {
    for (let from = 0; from < count; from += 500) {
      const events: NewEvent[] = Array.from({ length: Math.min(500, count - from) }, (_, n) => ({
        type,
        schemaVersion: 1,
        data: { n: from + n },
      }));
      await appendEvents(db.pool, [{ streamId: `${type}-${count}-${from}`, expected: 'any', events }]);
    }
  };
  const count = async (table: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

  it('analyses a table as a catch-up fills it: once it holds 128 pages, each time it has grown fourfold, and after a rebuild; never an empty one', async () => {
    const projection = await wideProjection('probed', 'T', ['never_written', 'probed']);
    await append('T', 4_000);
    expect(await statistics(['never_written', 'probed'])).toEqual([
      { table: 'never_written', columns: 0, analyses: 0, pages: 0 },
      { table: 'probed', columns: 0, analyses: 0, pages: 0 },
    ]);

    // 4,000 rows fill 572 pages in batches of 100: analysed after the ninth batch (900 rows, 129 pages), then
    // after the 37th (3,700 rows, 529 pages: four times 129 is 516); 2,116 pages it never reaches.
    await startRunner(projection, 100);
    await waitUntilCaughtUp(db.pool, 'probed');
    expect(await statistics(['never_written', 'probed'])).toEqual([
      { table: 'never_written', columns: 0, analyses: 0, pages: 0 },
      { table: 'probed', columns: 2, analyses: 2, pages: 529 },
    ]);
    expect(await count('probed')).toBe(4_000);

    // A rebuild empties the table: its statistics stay and its size is forgotten, so it is analysed once it holds
    // 128 pages again, and at four times that.
    await rebuildProjection(db.pool, projection);
    await waitUntilCaughtUp(db.pool, 'probed');
    expect(await statistics(['never_written', 'probed'])).toEqual([
      { table: 'never_written', columns: 0, analyses: 0, pages: 0 },
      { table: 'probed', columns: 2, analyses: 4, pages: 529 },
    ]);
    expect(await count('probed')).toBe(4_000);
  });

  it('does not hold a catch-up behind a VACUUM of its table: it goes on without statistics and analyses at a later catch-up', async () => {
    const projection = await wideProjection('held', 'H', ['held']);
    await append('H', 1_000);
    // What a VACUUM of the table holds: writes go on, ANALYZE waits.
    const vacuum = await db.pool.connect();
    await vacuum.query('BEGIN');
    await vacuum.query('LOCK TABLE held IN SHARE UPDATE EXCLUSIVE MODE');
    try {
      const first = await startRunner(projection, 100);
      // Caught up though the table could not be analysed (the statement timeout, 30 s, would stall it longer).
      await waitUntilCaughtUp(db.pool, 'held', { timeoutMs: 20_000 });
      expect(await statistics(['held'])).toEqual([{ table: 'held', columns: 0, analyses: 0, pages: 0 }]);
      expect(await count('held')).toBe(1_000);
      // Stopped, it has finished its last batch and that batch's ANALYZE, which gave up waiting for the lock.
      await first.stop();
      await vacuum.query('COMMIT');
      await startRunner(projection, 100);
      await append('H', 1_000);
      await waitUntilCaughtUp(db.pool, 'held');
      // Analysed after the first batch of the next catch-up: 1,100 rows, 158 pages.
      expect(await statistics(['held'])).toEqual([{ table: 'held', columns: 2, analyses: 1, pages: 158 }]);
    } finally {
      await vacuum.query('ROLLBACK').catch(() => undefined);
      vacuum.release();
    }
  });

  it('stops analysing after a failure that is not the database being away: it reports it once, and the catch-up goes on', async () => {
    const projection = await wideProjection('unanalysable', 'U', ['unanalysable']);
    // Statistics of an expression are computed by ANALYZE alone, never by a write: this one fails every ANALYZE.
    await db.pool.query(
      `CREATE FUNCTION refuses_statistics(text) RETURNS int IMMUTABLE LANGUAGE plpgsql
         AS $$ BEGIN RAISE EXCEPTION 'no statistics of %', length($1); END $$`,
    );
    await db.pool.query('CREATE STATISTICS unanalysable_refused ON (refuses_statistics(pad)) FROM unanalysable');
    await append('U', 2_000);
    const reported: { source: string; message: string }[] = [];
    const errors = {
      report: (source: string, error: Error) => reported.push({ source, message: error.message }),
    } as unknown as ErrorReporter;

    // 20 batches of 100: the table reaches 128 pages at the ninth, and 516 (four times 129) it never reaches;
    // a runner that kept trying would try after each of the eleven batches left.
    await startRunner(projection, 100, errors);
    await waitUntilCaughtUp(db.pool, 'unanalysable');
    expect(reported).toEqual([{ source: 'table-statistics', message: 'no statistics of 1000' }]);
    expect(await statistics(['unanalysable'])).toEqual([{ table: 'unanalysable', columns: 0, analyses: 0, pages: 0 }]);
    expect(await count('unanalysable')).toBe(2_000);
  });
});
