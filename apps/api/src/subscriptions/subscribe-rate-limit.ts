import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';

/** One client may start this many subscriptions an hour: Vigil must not become a tool to flood inboxes. */
export const SUBSCRIPTIONS_PER_IP_PER_HOUR = 20;

export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';

  constructor(readonly retryAfterSeconds: number) {
    super(`too many subscriptions from this address; try again in ${retryAfterSeconds} seconds`);
  }
}

/** A fixed one-hour window per client IP, counted in Redis so every API instance shares it. */
@Injectable()
export class SubscribeRateLimit {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  async take(ip: string): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / 3_600_000);
    const key = `${this.config.queuePrefix}:ratelimit:subscribe:${ip}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 3_600).exec()) as [[null, number], unknown];
    if (count > SUBSCRIPTIONS_PER_IP_PER_HOUR) {
      throw new RateLimitedError(Math.ceil(((window + 1) * 3_600_000 - now) / 1_000));
    }
  }
}
