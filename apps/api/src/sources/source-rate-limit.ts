import type { VigilConfig } from '@vigil/platform';
import { TokenBuckets } from '../http/token-buckets';

/**
 * Signed reports per source: SOURCE_RATE_LIMIT, by default 50 a second sustained and bursts of 100
 * (docs/api.md, "Limits"). Counted in this process, after the signature is verified, so nobody but the
 * partner can spend its budget. One instance per process (SourcesModule), whichever module's guard uses it.
 */
export class SourceRateLimit {
  private readonly buckets: TokenBuckets;

  constructor(rule: VigilConfig['sourceRateLimit'], now?: () => number) {
    // Sources are few; the bound is only there so that the memory never depends on what arrives.
    this.buckets = new TokenBuckets({ ...rule, maxKeys: 10_000 }, now);
  }

  /** Takes one report of this source: undefined if it may go on, else the seconds to wait. */
  take(sourceId: string): number | undefined {
    return this.buckets.take(sourceId);
  }
}
