import { createPgPool } from '@vigil/platform';
import { databaseUrl } from '../../../test/support/test-environment';
import { waitFor } from '../../../test/support/wait-for';
import { LogNotifier } from './log-notifier';

describe(LogNotifier.name, () => {
  it('reports a NOTIFY that failed instead of dropping it, and still sends the next one', async () => {
    const pool = createPgPool(databaseUrl('postgres'), 1, 'vigil-test');
    const errors: unknown[] = [];
    const notifier = new LogNotifier(pool, (error) => errors.push(error));
    await pool.end(); // every query of this pool fails from now on
    notifier.notifyAppended();
    notifier.notifyAppended();
    await notifier.drain();
    await waitFor(() => errors.length === 2, { what: 'both failed NOTIFYs to be reported' });
    expect(errors.every((error) => error instanceof Error)).toBe(true);
  });
});
