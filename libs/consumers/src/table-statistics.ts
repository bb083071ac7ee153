import type { Pool } from 'pg';
import { inTransaction } from '@vigil/platform';

/**
 * Analyses those of a projection's tables that hold rows but have no statistics yet, and answers whether every
 * one of them has statistics now (an empty table has none until it holds rows).
 *
 * Why (docs/scaling.md, "A projection's tables without statistics"): a table never analysed has no statistics,
 * and the planner then guesses a two-hundredth of its rows for each value a statement probes, so a probe of a
 * few hundred values, a batch's incidents, is planned as most of the table and read whole: a cost that grows
 * with the table, batch after batch, for as long as nothing analyses it. Autovacuum analyses a table within
 * its naptime of a few dozen changed rows; where it is off, or in the first minute of a new database, the
 * runner's catch-up does it once. Statistics outlive a rebuild's TRUNCATE, and what ANALYZE records of a
 * column whose values are nearly all distinct is a fraction of the rows, which grows with the table: one
 * analysis early in a catch-up keeps the probes planned as probes when the table is a thousand times larger.
 */
export async function analyseTablesWithoutStatistics(pool: Pool, tables: readonly string[]): Promise<boolean> {
  if (!tables.length) return true;
  const { rows } = await pool.query<{ table: string; filled: boolean }>(
    `SELECT t AS table, pg_relation_size(to_regclass(t)) > 0 AS filled
       FROM unnest($1::text[]) AS t
      WHERE NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = t)`,
    [tables],
  );
  for (const { table } of rows.filter((row) => row.filled)) {
    await inTransaction(pool, async (tx) => {
      // Not behind a VACUUM of the table for long: a batch must never wait on statistics (55P03 after a second).
      await tx.query(`SET LOCAL lock_timeout = '1s'`);
      // The names are the projection's own (Projection.tables), never a client's.
      await tx.query(`ANALYZE "${table}"`);
    });
  }
  return rows.every((row) => row.filled);
}
