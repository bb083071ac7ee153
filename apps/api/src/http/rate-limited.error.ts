/** A rate limit refused the request: answered 429 with Retry-After (http/error-status.map.ts), nothing written. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';

  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(`${what}; try again in ${retryAfterSeconds} seconds`);
  }
}
