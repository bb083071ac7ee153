import type { Pool } from 'pg';
import { inTransaction } from '@vigil/platform';

/** How many times the size its statistics were taken at a table may reach before its runner analyses it again. */
const STATISTICS_GROWTH = 4;

/**
 * Below this many pages (1 MB) a table is left to the planner's own rule: a table never analysed is taken for at
 * least ten pages, which keeps the generic plans that named statements make on a young database probes. The
 * statistics of a table of a few pages say it is tiny, and such a plan, kept by the connection, reads it whole
 * for as long as nothing analyses it again (the generic-plan specs fail on it). A scan of 1 MB costs a batch a
 * fraction of a millisecond.
 */
const STATISTICS_MIN_PAGES = 128;

/**
 * Analyses those of a projection's tables of at least STATISTICS_MIN_PAGES that have no statistics, or have
 * outgrown theirs (STATISTICS_GROWTH times the pages they were taken at).
 *
 * Why (docs/scaling.md, "A projection's tables without statistics"): a table never analysed has no statistics,
 * and the planner then guesses a two-hundredth of its rows for each value a statement probes, so a probe of a
 * few hundred values, a batch's incidents, is planned as most of the table and read whole: a cost that grows
 * with the table, batch after batch, for as long as nothing analyses it. Statistics taken when the table was a
 * hundredth of its size mislead too, less: their common values and ranges are its first rows'. Autovacuum
 * analyses a table each time a tenth of it has changed, within its naptime; where it is off, or behind a
 * catch-up of twenty thousand events a second, nothing does. The runner's catch-up keeps the statistics within
 * a factor of four of the table: a few analyses over a whole rebuild, each of a sample of at most 30,000 rows.
 */
export async function analyseOutgrownTables(pool: Pool, tables: readonly string[]): Promise<void> {
  if (!tables.length) return;
  const { rows } = await pool.query<{ table: string }>(
    // The table as PostgreSQL names it (regclass's text, quoted where it must be), for the ANALYZE below.
    `SELECT c.oid::regclass::text AS table
       FROM unnest($1::text[]) AS t
       JOIN pg_class c ON c.oid = to_regclass(t)
      CROSS JOIN LATERAL (SELECT pg_relation_size(c.oid) / current_setting('block_size')::int AS pages) now
      WHERE now.pages >= $3
        -- relpages: the table's size when last analysed or vacuumed (0 after a rebuild's TRUNCATE)
        AND (now.pages >= $2 * greatest(c.relpages, 1)
             OR NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = t))`,
    [tables, STATISTICS_GROWTH, STATISTICS_MIN_PAGES],
  );
  for (const { table } of rows) {
    await inTransaction(pool, async (tx) => {
      // Not behind a VACUUM of the table for long: a batch must never wait on statistics (55P03 after a second).
      await tx.query(`SET LOCAL lock_timeout = '1s'`);
      // A name from the catalog for a table the projection names (Projection.tables), never a client's.
      await tx.query(`ANALYZE ${table}`);
    });
  }
}
