import { RecentValue } from './recent-value';

describe(RecentValue.name, () => {
  const counting = <T>(values: () => Promise<T>) => {
    const compute = jest.fn(values);
    return compute;
  };

  it('computes once for every caller within the maximum age, and again after it', async () => {
    let clock = 0;
    let n = 0;
    const compute = counting(async () => ++n);
    const value = new RecentValue(compute, 5_000, () => clock);
    expect(await value.get()).toBe(1);
    clock = 4_999;
    expect(await value.get()).toBe(1);
    expect(compute).toHaveBeenCalledTimes(1);
    clock = 5_000;
    expect(await value.get()).toBe(2);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('lets callers that arrive during a computation share it', async () => {
    let finish!: (value: number) => void;
    const compute = counting(() => new Promise<number>((resolve) => (finish = resolve)));
    const value = new RecentValue(compute, 5_000, () => 0);
    const waiting = [value.get(), value.get(), value.get()];
    finish(7);
    expect(await Promise.all(waiting)).toEqual([7, 7, 7]);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failure: the next caller computes again', async () => {
    let fail = true;
    const compute = counting(async () => {
      if (fail) throw new Error('database away');
      return 3;
    });
    const value = new RecentValue(compute, 5_000, () => 0);
    await expect(value.get()).rejects.toThrow('database away');
    fail = false;
    expect(await value.get()).toBe(3);
    expect(compute).toHaveBeenCalledTimes(2);
  });
});
