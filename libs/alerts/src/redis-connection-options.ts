import type { ConnectionOptions } from 'bullmq';
import type { Cluster } from 'ioredis';
import { redisUrlOptions } from '@vigil/platform';

/**
 * BullMQ creates and closes its own connections from these. A worker's connections block while waiting for
 * jobs and must wait for Redis forever (maxRetriesPerRequest: null): a worker resumes by itself when Redis
 * returns. On a Redis Cluster (REDIS_CLUSTER_NODES), BullMQ shares the process's Cluster connection instead
 * (QUEUE_CLUSTER), and QUEUE_PREFIX is a hash tag so each queue's keys share a slot (decision 0022).
 */
export function redisConnectionOptions(redisUrl: string, cluster: Cluster | null = null): ConnectionOptions {
  if (cluster) return cluster;
  return { ...redisUrlOptions(redisUrl), maxRetriesPerRequest: null };
}
