import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { inTransaction } from './transaction';

/**
 * Runs a named statement by its generic plan, the one its plan spec EXPLAINs (docs/decisions/0003): for a
 * statement PostgreSQL would otherwise plan afresh on every run because it guesses the generic plan dearer
 * than the custom ones (the word search: 6-10 ms of planning for a 1.5 ms statement, on every keystroke).
 * The setting is `SET LOCAL`, so it ends with the transaction and never reaches the pool's other statements:
 * forced for a whole session, it also planned the unnamed statements generically, and the incident list's
 * optional filters then read the list's index from the top (its 100th page went from 15 to 195 ms).
 */
export function queryByGenericPlan<Row extends QueryResultRow>(
  pool: Pool,
  statement: QueryConfig & { name: string },
): Promise<QueryResult<Row>> {
  return inTransaction(pool, async (client) => {
    await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
    return client.query<Row>(statement);
  });
}
