import { retryBackoff, triesOf } from './retry-schedule';

describe(retryBackoff.name, () => {
  it('waits the n-th delay of the schedule after the n-th failed try', () => {
    const backoff = retryBackoff([5_000, 300_000, 1_800_000]);
    expect([1, 2, 3].map(backoff)).toEqual([5_000, 300_000, 1_800_000]);
    expect(triesOf([5_000, 300_000, 1_800_000])).toBe(4);
  });
});
