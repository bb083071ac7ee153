import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { createPgPool, type DatabaseTimeouts } from './pg-pool';

export const GENERIC_PLAN_POOL = Symbol('GENERIC_PLAN_POOL');

/** The sessions of an API process's GenericPlanPool (connectionBudget counts them). */
export const GENERIC_PLAN_POOL_SIZE = 2;

/**
 * Runs named statements by their generic plan, the one their plan specs EXPLAIN (docs/decisions/0003 and
 * 0028): statements PostgreSQL would otherwise plan afresh on every run because it guesses the generic plan
 * dearer than the custom ones (the word search: 6-10 ms of planning for a 1.5 ms statement, on every
 * keystroke). Its sessions are opened with `plan_cache_mode = force_generic_plan`, so a statement is one round
 * trip; before, a transaction of its own set it (`BEGIN`, `SET LOCAL`, the statement, `COMMIT`: four round
 * trips, a fifth of the search's CPU). Only named statements can be sent: an unnamed statement is planned
 * generically too in such a session, and the incident list's optional filters, planned without their values,
 * read its index from the top (its 100th page went from 15 to 195 ms), so those stay on the process's pool.
 */
export class GenericPlanPool {
  constructor(private readonly pool: Pool) {}

  query<Row extends QueryResultRow>(statement: QueryConfig & { name: string }): Promise<QueryResult<Row>> {
    return this.pool.query<Row>(statement);
  }

  on(event: 'error', listener: (error: Error) => void): this {
    this.pool.on(event, listener);
    return this;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export function createGenericPlanPool(
  databaseUrl: string,
  applicationName: string,
  sessions: number,
  timeouts?: DatabaseTimeouts,
): GenericPlanPool {
  return new GenericPlanPool(
    createPgPool(databaseUrl, Math.max(1, sessions), `${applicationName}-generic`, timeouts, 'force_generic_plan'),
  );
}
