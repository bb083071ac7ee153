import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ creates and closes its own connections from these. A worker's connections block while waiting for
 * jobs and must wait for Redis forever (maxRetriesPerRequest: null): a worker resumes by itself when Redis
 * returns.
 */
export function redisConnectionOptions(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
