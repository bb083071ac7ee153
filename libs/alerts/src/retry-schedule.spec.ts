import { retryBackoff, triesOf } from './retry-schedule';

describe(retryBackoff.name, () => {
  it('waits the n-th delay of the schedule after the n-th failed try', () => {
    const backoff = retryBackoff([5_000, 300_000, 1_800_000]);
    expect([1, 2, 3].map(backoff)).toEqual([5_000, 300_000, 1_800_000]);
    expect(triesOf([5_000, 300_000, 1_800_000])).toBe(4);
  });

  it('keeps the last delay for tries past the end of the schedule', () => {
    // A job queued under a longer RETRY_SCHEDULE keeps its attempts after a restart with a shorter one.
    const backoff = retryBackoff([5_000, 300_000]);
    expect([3, 4, 50].map(backoff)).toEqual([300_000, 300_000, 300_000]);
  });

  it('retries at once when the schedule is empty, which allows a single try', () => {
    expect(triesOf([])).toBe(1);
    expect([1, 2].map(retryBackoff([]))).toEqual([0, 0]);
  });
});
