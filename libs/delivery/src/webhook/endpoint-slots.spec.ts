import { EndpointSlots } from './endpoint-slots';

describe('EndpointSlots', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('grants up to the limit per endpoint, each endpoint on its own', async () => {
    const slots = new EndpointSlots(2, 0);
    expect(await slots.acquire('a', 100)).toBe(true);
    expect(await slots.acquire('a', 100)).toBe(true);
    expect(await slots.acquire('a', 100)).toBe(false);
    expect(await slots.acquire('b', 100)).toBe(true);
  });

  it('hands a released slot to the longest waiter', async () => {
    const slots = new EndpointSlots(1, 2);
    await slots.acquire('a', 100);
    const first = slots.acquire('a', 100);
    const second = slots.acquire('a', 100);
    slots.release('a');
    expect(await first).toBe(true);
    slots.release('a');
    expect(await second).toBe(true);
    // The slot went from holder to holder: still in use, so a newcomer waits in vain...
    const newcomer = slots.acquire('a', 100);
    jest.advanceTimersByTime(100);
    expect(await newcomer).toBe(false);
    // ...until the last holder releases it.
    slots.release('a');
    expect(await slots.acquire('a', 100)).toBe(true);
  });

  it('gives up on a slot that does not free in time, and leaves the count alone', async () => {
    const slots = new EndpointSlots(1, 1);
    await slots.acquire('a', 100);
    const waiting = slots.acquire('a', 100);
    jest.advanceTimersByTime(100);
    expect(await waiting).toBe(false);
    slots.release('a');
    // The caller that gave up holds nothing: the one slot is free again, and only one.
    expect(await slots.acquire('a', 100)).toBe(true);
    const next = slots.acquire('a', 100);
    jest.advanceTimersByTime(100);
    expect(await next).toBe(false);
  });

  it('turns away callers beyond the waiting room at once', async () => {
    const slots = new EndpointSlots(1, 1);
    await slots.acquire('a', 100);
    void slots.acquire('a', 100);
    expect(await slots.acquire('a', 100)).toBe(false);
  });
});
