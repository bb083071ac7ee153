import { isDependencyUnavailable, withDeadline } from './dependency-unavailable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe(isDependencyUnavailable.name, () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an admin shutdown (57P01)', withCode('57P01')],
    ['a statement timeout (57014)', withCode('57014')],
    ['a lock timeout (55P03)', withCode('55P03')],
    ['too many connections (53300)', withCode('53300')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a deadlock (40P01)', withCode('40P01')],
    ['a connection failure (08006)', withCode('08006')],
    ["pg's end of connection", new Error('Connection terminated unexpectedly')],
    ["pg's connect timeout", new Error('timeout exceeded when trying to connect')],
    ["ioredis's closed connection", new Error('Connection is closed.')],
    ["ioredis's command timeout", new Error('Command timed out')],
    [
      "ioredis's retries given up",
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    ['a refusal wrapped as the cause', new Error('append failed', { cause: withCode('ECONNREFUSED') })],
    ['a refusal inside an AggregateError', new AggregateError([withCode('ECONNREFUSED')], 'connect failed')],
  ])('says a dependency is unavailable for %s', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a check violation (23514)', withCode('23514')],
    ['a syntax error (42601)', withCode('42601')],
    ['an invalid datetime (22008)', withCode('22008')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('leaves %s to the caller as not a dependency fault', (_what, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});

describe(withDeadline.name, () => {
  it('answers what the work answers in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, 'work')).resolves.toBe(7);
  });

  it('fails as a dependency fault, naming the work, when the work has not answered by the deadline', async () => {
    const failure = withDeadline(new Promise(() => undefined), 10, 'queue mail-delivery');
    await expect(failure).rejects.toThrow('queue mail-delivery did not answer within 10 ms');
    expect(isDependencyUnavailable(await failure.catch((error: unknown) => error))).toBe(true);
  });
});
