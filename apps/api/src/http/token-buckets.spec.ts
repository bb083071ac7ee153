import { TokenBuckets } from './token-buckets';

describe(TokenBuckets.name, () => {
  let clock: number;
  const buckets = (perSecond: number, burst: number, maxKeys = 1_000) =>
    new TokenBuckets({ perSecond, burst, maxKeys }, () => clock);
  beforeEach(() => {
    clock = 0;
  });

  /** How many of `n` takes at the current instant pass. */
  const passes = (limiter: TokenBuckets, key: string, n: number) =>
    Array.from({ length: n }, () => limiter.take(key)).filter((wait) => wait === undefined).length;

  it('lets a burst through at once, then the sustained rate', () => {
    const limiter = buckets(50, 100);
    expect(passes(limiter, 'source', 150)).toBe(100);
    clock += 1_000;
    expect(passes(limiter, 'source', 150)).toBe(50);
    clock += 200;
    expect(passes(limiter, 'source', 150)).toBe(10);
  });

  it('counts each key apart', () => {
    const limiter = buckets(1, 2);
    expect(passes(limiter, 'a', 5)).toBe(2);
    expect(passes(limiter, 'b', 5)).toBe(2);
  });

  it('says how many whole seconds to wait, at least one', () => {
    const limiter = buckets(20 / 60, 20);
    expect(passes(limiter, 'client', 20)).toBe(20);
    expect(limiter.take('client')).toBe(3);
    expect(limiter.wait('client')).toBe(3);
    clock += 2_000;
    expect(limiter.wait('client')).toBe(1);
    clock += 1_000;
    expect(limiter.wait('client')).toBeUndefined();
    expect(buckets(50, 100).wait('unknown')).toBeUndefined();
    const fast = buckets(50, 1);
    fast.take('k');
    expect(fast.take('k')).toBe(1);
  });

  it('never tracks more keys than its bound, and drops the buckets that filled up again first', () => {
    const limiter = buckets(1, 1, 3);
    for (const key of ['a', 'b', 'c']) expect(limiter.take(key)).toBeUndefined();
    // Every tracked bucket is spent: a new key is refused rather than tracked, until the oldest fills up.
    expect(limiter.take('d')).toBe(1);
    // It has spent nothing, so it owes nothing: a check that takes nothing does not refuse it.
    expect(limiter.wait('d')).toBeUndefined();
    expect(limiter.size).toBe(3);
    clock += 1_000;
    expect(limiter.take('d')).toBeUndefined();
    expect(limiter.size).toBe(3);
    for (let i = 0; i < 10_000; i++) limiter.take(`invented-${i}`);
    expect(limiter.size).toBe(3);
  });
});
