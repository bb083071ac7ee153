import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisNode } from '../config/vigil-config';

export const REDIS = Symbol('REDIS');

/** A single Redis server or a Redis Cluster: the commands Vigil sends (PING, INCR in MULTI, BullMQ's scripts) run on both. */
export type RedisClient = Redis | Cluster;

/** A command on the request path waits at most this long for Redis, whether it is slow or away. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/** What REDIS_URL names: host, port, user, password, database and TLS. */
export interface RedisUrlOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: object;
}

export function redisUrlOptions(redisUrl: string): RedisUrlOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * An ioredis Cluster on the seed nodes, with REDIS_URL's credentials and TLS for every node it finds.
 * A cluster has one database, so REDIS_URL's database number is not used.
 */
export function createRedisCluster(nodes: RedisNode[], redisUrl: string, redisOptions: RedisOptions = {}): Cluster {
  const { username, password, tls } = redisUrlOptions(redisUrl);
  const options: ClusterOptions = { redisOptions: { username, password, tls, ...redisOptions } };
  return new Cluster(nodes, options);
}

/**
 * The shared client of a process, for commands on the request path (rate limits, readiness). While Redis
 * is away a command waits at most REDIS_COMMAND_TIMEOUT_MS, and ioredis drops what it queued after one
 * failed reconnection instead of keeping it without bound: the caller answers 503 and the client reconnects
 * by itself. BullMQ's blocking worker connections are made elsewhere (libs/alerts) and wait forever instead.
 */
export function createRedis(redisUrl: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(redisUrl, { ...requestPathOptions, ...options });
  // Reconnection is ioredis's job; without a listener an outage would crash the process.
  redis.on('error', () => undefined);
  return redis;
}

const requestPathOptions: RedisOptions = {
  maxRetriesPerRequest: 1,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  lazyConnect: false,
};

/** The process's shared client from the configuration: a Cluster when REDIS_CLUSTER_NODES is set. */
export function createRedisClient(config: { redisUrl: string; redisClusterNodes?: RedisNode[] }): RedisClient {
  if (!config.redisClusterNodes) return createRedis(config.redisUrl);
  const cluster = createRedisCluster(config.redisClusterNodes, config.redisUrl, requestPathOptions);
  cluster.on('error', () => undefined);
  return cluster;
}
