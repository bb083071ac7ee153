import { StreamVersionConflictError } from '@vigil/event-store';
import { retryOnStreamConflict } from './retry-on-stream-conflict';

describe(retryOnStreamConflict.name, () => {
  const conflict = () => new StreamVersionConflictError('person-a', 1, 2);

  /** An attempt that fails with the given errors, in turn, then answers how many times it ran. */
  function failing(...errors: Error[]) {
    let runs = 0;
    return {
      attempt: async () => {
        runs++;
        if (runs <= errors.length) throw errors[runs - 1];
        return runs;
      },
      runs: () => runs,
    };
  }

  it('decides and appends again after a conflict, until it goes through', async () => {
    const { attempt } = failing(conflict(), conflict());
    await expect(retryOnStreamConflict(attempt)).resolves.toBe(3);
  });

  it('gives up with the conflict after five attempts', async () => {
    const { attempt, runs } = failing(conflict(), conflict(), conflict(), conflict(), conflict());
    await expect(retryOnStreamConflict(attempt)).rejects.toBeInstanceOf(StreamVersionConflictError);
    expect(runs()).toBe(5);
  });

  it('does not retry any other error', async () => {
    const { attempt, runs } = failing(new Error('the database is gone'));
    await expect(retryOnStreamConflict(attempt)).rejects.toThrow('the database is gone');
    expect(runs()).toBe(1);
  });
});
