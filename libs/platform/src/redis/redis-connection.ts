import Redis, { RedisOptions } from 'ioredis';

export const REDIS = Symbol('REDIS');

/**
 * BullMQ needs maxRetriesPerRequest: null on the connections of its workers; the same options serve
 * the readiness probe, which sets its own timeout per command.
 */
export function createRedis(redisUrl: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false, ...options });
  // Reconnection is ioredis's job; without a listener an outage would crash the process.
  redis.on('error', () => undefined);
  return redis;
}
