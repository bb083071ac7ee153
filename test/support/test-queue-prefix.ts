import type Redis from 'ioredis';
import { uniqueName } from './test-environment';

/** A BullMQ prefix of the suite's own, so suites share one Redis without seeing each other's jobs. */
export function testQueuePrefix(): string {
  return uniqueName('vigil-test');
}

/** Deletes every key under the prefix (what BullMQ's obliterate does, for all queues at once). */
export async function dropQueuePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
