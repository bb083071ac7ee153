import type { Pool } from 'pg';
import { withDeadline } from '../errors/dependency-unavailable';
import type { RedisClient } from '../redis/redis-connection';

/** A readiness probe waits this long for each dependency, then calls it unreachable. */
const CHECK_TIMEOUT_MS = 1_000;

/**
 * Which of PostgreSQL and Redis do not answer within a second: the readiness of the API and of the
 * worker (`/health/ready` of each). An empty list means ready.
 */
export async function unreachableDependencies(pool: Pool, redis: RedisClient): Promise<string[]> {
  const [postgres, redisCheck] = await Promise.allSettled([
    withDeadline(pool.query('SELECT 1'), CHECK_TIMEOUT_MS, 'postgres'),
    withDeadline(redis.ping(), CHECK_TIMEOUT_MS, 'redis'),
  ]);
  return [postgres.status === 'rejected' && 'postgres', redisCheck.status === 'rejected' && 'redis'].filter(
    (name): name is string => Boolean(name),
  );
}
