import Redis, { RedisOptions } from 'ioredis';

export const REDIS = Symbol('REDIS');

/** A command on the request path waits at most this long for Redis, whether it is slow or away. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * The shared client of a process, for commands on the request path (rate limits, readiness). While Redis
 * is away a command waits at most REDIS_COMMAND_TIMEOUT_MS, and ioredis drops what it queued after one
 * failed reconnection instead of keeping it without bound: the caller answers 503 and the client reconnects
 * by itself. BullMQ's blocking worker connections are made elsewhere (libs/alerts) and wait forever instead.
 */
export function createRedis(redisUrl: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    lazyConnect: false,
    ...options,
  });
  // Reconnection is ioredis's job; without a listener an outage would crash the process.
  redis.on('error', () => undefined);
  return redis;
}
