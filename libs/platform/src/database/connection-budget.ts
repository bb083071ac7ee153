import type { VigilConfig } from '../config/vigil-config';
import { GENERIC_PLAN_POOL_SIZE } from './generic-plan-pool';

/** PostgreSQL's default max_connections, of which superuser_reserved_connections (3) only a superuser may use. */
export const POSTGRES_DEFAULT_MAX_CONNECTIONS = 100;
export const POSTGRES_RESERVED_CONNECTIONS = 3;

/** The ordinary pool's size when `genericPlanSessions` of DATABASE_POOL_SIZE plan generically (at least one). */
export const ordinaryPoolSize = (databasePoolSize: number, genericPlanSessions: number): number =>
  Math.max(1, databasePoolSize - genericPlanSessions);

/**
 * The most PostgreSQL sessions one running process holds (README, "Connection budget"): its pool
 * (DATABASE_POOL_SIZE; in an API two of them are its GenericPlanPool's, the search's, decision 0028; a worker
 * has none); in a worker one LISTEN session for all its consumers and one session per consumer holding or
 * trying that consumer's advisory lock. At boot, before these open, migrations take two more for a moment
 * (under their lock, so one process at a time).
 */
export const connectionBudget = {
  api: (config: Pick<VigilConfig, 'databasePoolSize'>): number =>
    ordinaryPoolSize(config.databasePoolSize, GENERIC_PLAN_POOL_SIZE) + GENERIC_PLAN_POOL_SIZE,
  worker: (config: Pick<VigilConfig, 'databasePoolSize'>, consumers: number): number =>
    config.databasePoolSize + 1 + consumers,
};
