interface Endpoint {
  busy: number;
  waiting: (() => void)[];
}

/**
 * At most `limit` requests in flight to one endpoint. A few more callers may wait a moment for a slot
 * (a busy but healthy endpoint frees one within milliseconds); the rest are told no at once, so a hanging
 * endpoint holds at most limit + maxWaiting of the worker's concurrency.
 */
export class EndpointSlots {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  /** True once a slot is taken (release it after); false when none freed within `waitMs`. */
  acquire(key: string, waitMs: number): Promise<boolean> {
    const endpoint = this.endpoints.get(key) ?? { busy: 0, waiting: [] };
    this.endpoints.set(key, endpoint);
    if (endpoint.busy < this.limit) {
      endpoint.busy++;
      return Promise.resolve(true);
    }
    if (endpoint.waiting.length >= this.maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const grant = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        endpoint.waiting.splice(endpoint.waiting.indexOf(grant), 1);
        resolve(false);
      }, waitMs);
      endpoint.waiting.push(grant);
    });
  }

  /** Hands the slot to the longest waiter, if any. */
  release(key: string): void {
    const endpoint = this.endpoints.get(key);
    if (!endpoint) return;
    const next = endpoint.waiting.shift();
    if (next) next();
    else if (--endpoint.busy === 0) this.endpoints.delete(key);
  }
}
