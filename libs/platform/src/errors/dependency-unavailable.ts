/**
 * Errors fall in two kinds that call for opposite answers. A dependency that is away, overloaded or timing
 * out (PostgreSQL, Redis, the network between) says nothing about the request or the event being handled:
 * wait and try again (HTTP 503 with Retry-After; a consumer stalls and retries by itself). Anything else is
 * about the input or a bug and will fail the same way again. This is the one place that tells them apart,
 * by SQLSTATE class and system error code, so everything above asks this function and never reads messages.
 */

/**
 * SQLSTATE classes (and single codes) that mean "the database could not do it now", not "it refused":
 * 08 connection exception, 40 transaction rollback (serialization failure, deadlock), 53 insufficient
 * resources (too many connections, disk full), 57 operator intervention (admin shutdown, statement timeout
 * as query_canceled, cannot connect now), 58 system error; 55P03 lock_not_available (lock_timeout).
 */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57', '58']);
const UNAVAILABLE_SQLSTATES = new Set(['55P03']);

/** Node's system errors for a peer that is not there or went away. */
const UNAVAILABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The client libraries raise a few of their own errors without a code: pg's pool and client when the
 * connection ends or a connect or query times out, ioredis when it gave up retrying a command, closed the
 * connection or timed a command out. Their messages are the only handle; this list is the one place that
 * reads them, and the fault tests fail if a library changes one.
 */
const UNAVAILABLE_CLIENT_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /is not queryable$/,
  /^Connection is closed\.?$/,
  /^Command timed out$/,
  /^Reached the max retries per request limit/,
  /enableOfflineQueue options is false/,
];
const UNAVAILABLE_CLIENT_ERROR_NAMES = new Set(['MaxRetriesPerRequestError']);

/** Raised by Vigil's own code when a dependency did not answer in time (e.g. a queue that could not be reached). */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
}

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function isUnavailableItself(error: ErrorLike): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    return UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_SQLSTATES.has(code);
  }
  if (code && UNAVAILABLE_SYSTEM_CODES.has(code)) return true;
  if (typeof error.name === 'string' && UNAVAILABLE_CLIENT_ERROR_NAMES.has(error.name)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return UNAVAILABLE_CLIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/** True when the error (or what caused it) means a dependency is unavailable right now. */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const candidate = error as ErrorLike;
  if (isUnavailableItself(candidate)) return true;
  // Node reports a refused connection to a dual-stack name as an AggregateError of one error per address.
  if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDependencyUnavailable(inner, depth + 1))) {
    return true;
  }
  return isDependencyUnavailable(candidate.cause, depth + 1);
}

/**
 * Waits for `work` at most `ms`, then fails with a DependencyUnavailableError naming `what`. The work itself
 * goes on (a promise cannot be cancelled): use it only for work that is harmless to finish late, such as
 * adding a job whose id is its delivery's id.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailableError(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
