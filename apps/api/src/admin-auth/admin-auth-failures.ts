import { TokenBuckets } from '../http/token-buckets';

/**
 * Failed admin sign-ins per client address (a rate-limit key): 20 a minute, in a burst or spread out
 * (docs/api.md, "Limits"). One instance per process (AdminAuthModule), shared by every module with admin routes.
 */
export class AdminAuthFailures {
  private readonly buckets: TokenBuckets;

  constructor(now?: () => number) {
    this.buckets = new TokenBuckets({ perSecond: 20 / 60, burst: 20, maxKeys: 10_000 }, now);
  }

  /** Seconds this client must wait before its token is checked again; undefined when it may try now. */
  waitBeforeNextTry(client: string): number | undefined {
    return this.buckets.wait(client);
  }

  count(client: string): void {
    this.buckets.take(client);
  }
}
