import { createRedis } from '@vigil/platform';
import type Redis from 'ioredis';
import { testConfig } from '../../../../test/support/test-config';
import { dropQueuePrefix } from '../../../../test/support/test-queue-prefix';
import { RateLimitedError } from '../http/rate-limited.error';
import { SubscribeRateLimit } from './subscribe-rate-limit';

describe(SubscribeRateLimit.name, () => {
  const config = testConfig({ databaseUrl: 'postgres://unused' });
  let redis: Redis;
  beforeAll(() => {
    redis = createRedis(config.redisUrl);
  });
  afterAll(async () => {
    await dropQueuePrefix(redis, config.queuePrefix);
    await redis.quit();
  });

  it('refuses a client past its hourly count, and everyone past the global count, keying no new client then', async () => {
    const limit = new SubscribeRateLimit(redis, config, { perClientPerHour: 2, perHour: 5 });
    await limit.take('198.51.100.1');
    await limit.take('198.51.100.1');
    // Refused requests of a client at its limit do not spend the global count.
    for (let i = 0; i < 10; i++) await expect(limit.take('198.51.100.1')).rejects.toThrow(RateLimitedError);
    await limit.take('198.51.100.2');
    await limit.take('198.51.100.3');
    await limit.take('198.51.100.4');
    // The global count is spent (5 taken): a new client is refused before it is keyed.
    const refused = await limit.take('198.51.100.5').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    const keys = await redis.keys(`${config.queuePrefix}:ratelimit:subscribe:198.51.100.5:*`);
    expect(keys).toEqual([]);
  });
});
