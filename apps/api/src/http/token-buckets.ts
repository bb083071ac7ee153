import { performance } from 'node:perf_hooks';

export interface BucketRule {
  /** Tokens added back per second: the sustained rate. */
  perSecond: number;
  /** A full bucket: the burst a key may spend at once. */
  burst: number;
  /**
   * Keys tracked at most, so invented keys cannot fill the memory. A key whose bucket has filled up again
   * carries nothing and makes room; when every tracked bucket is still spent, a new key is refused (fails
   * closed) until the oldest one has filled up.
   */
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (a client address, a source id), in the memory of this process: a limit needs
 * nothing but the process itself (the intake needs only PostgreSQL). With N API processes behind a load
 * balancer a key gets up to N times the rate (docs/architecture.md, "Rate limits").
 */
export class TokenBuckets {
  /** In order of last take, oldest first: the first entry is the best candidate to make room. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Seconds `key` must wait because of what it spent, or undefined when it owes nothing. Takes nothing. A key
   * not tracked has spent nothing, even while every tracked bucket is spent: a full table only stops new keys
   * from taking (take), or an admin on a new address would be locked out by others' failures.
   */
  wait(key: string): number | undefined {
    const bucket = this.buckets.get(key);
    return bucket ? this.waitFor(this.tokensAt(bucket, this.now()), 1) : undefined;
  }

  /** Takes a token of `key` if it has one (undefined); otherwise takes nothing and says how long to wait. */
  take(key: string): number | undefined {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.tokensAt(bucket, now) : this.rule.burst;
    if (tokens < 1) return this.waitFor(tokens, 1);
    if (!bucket && !this.makeRoom(now)) return this.roomWait(now);
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return undefined;
  }

  /** How many keys are tracked (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }

  private tokensAt(bucket: Bucket, now: number): number {
    return Math.min(this.rule.burst, bucket.tokens + ((now - bucket.at) / 1_000) * this.rule.perSecond);
  }

  private waitFor(tokens: number, needed: number): number | undefined {
    if (tokens >= needed) return undefined;
    // Less a hair, so that rounding in the refill does not add a whole second.
    return Math.max(1, Math.ceil((needed - tokens) / this.rule.perSecond - 1e-9));
  }

  /** Drops the oldest buckets that have filled up again until a new key fits; false when none could go. */
  private makeRoom(now: number): boolean {
    while (this.buckets.size >= this.rule.maxKeys) {
      const [oldestKey, oldest] = this.buckets.entries().next().value as [string, Bucket];
      if (this.tokensAt(oldest, now) < this.rule.burst) return false;
      this.buckets.delete(oldestKey);
    }
    return true;
  }

  /** Until the oldest bucket has filled up and so makes room. */
  private roomWait(now: number): number {
    const [, oldest] = this.buckets.entries().next().value as [string, Bucket];
    return this.waitFor(this.tokensAt(oldest, now), this.rule.burst) ?? 1;
  }
}
