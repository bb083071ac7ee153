import { Inject, Injectable, Optional } from '@nestjs/common';
import { REDIS, type RedisClient, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { RateLimitedError } from '../http/rate-limited.error';

export interface SubscribeLimits {
  /** One client may start this many subscriptions an hour: Vigil must not become a tool to flood inboxes. */
  perClientPerHour: number;
  /**
   * All clients together may start this many an hour. It also bounds the keys the per-client counts can make
   * in Redis (which runs noeviction for BullMQ): a flood from invented addresses stops here first.
   */
  perHour: number;
}

export const SUBSCRIBE_LIMITS = Symbol('SUBSCRIBE_LIMITS');
export const DEFAULT_SUBSCRIBE_LIMITS: SubscribeLimits = { perClientPerHour: 20, perHour: 2_000 };

/** Fixed one-hour windows, per client and for everyone, counted in Redis so every API instance shares them. */
@Injectable()
export class SubscribeRateLimit {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Optional() @Inject(SUBSCRIBE_LIMITS) private readonly limits: SubscribeLimits = DEFAULT_SUBSCRIBE_LIMITS,
  ) {}

  /** `client` is a rate-limit key (http/client-address.ts), never a raw header value. */
  async take(client: string): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / 3_600_000);
    const retryAfter = Math.ceil(((window + 1) * 3_600_000 - now) / 1_000);
    const prefix = `${this.config.queuePrefix}:ratelimit:subscribe`;
    if ((await this.count(`${prefix}:all:${window}`)) > this.limits.perHour) {
      throw new RateLimitedError(retryAfter, 'too many subscriptions right now');
    }
    if ((await this.count(`${prefix}:${client}:${window}`)) > this.limits.perClientPerHour) {
      // A refused request must not spend everyone's budget: one client at its limit could otherwise use up the
      // global count by retrying, and stop every other subscriber for the hour.
      await this.redis.decr(`${prefix}:all:${window}`);
      throw new RateLimitedError(retryAfter, 'too many subscriptions from this address');
    }
  }

  private async count(key: string): Promise<number> {
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 3_600).exec()) as [[null, number], unknown];
    return count;
  }
}
