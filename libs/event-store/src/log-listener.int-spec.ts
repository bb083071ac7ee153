import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import { LogListener } from './log-listener';
import { wakeLogReaders } from './log-notifier';

describe(LogListener.name, () => {
  let db: TestDatabase;
  let listener: LogListener | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
    await db.drop();
  });

  /** A started listener and the number of times it has woken its reader so far. */
  async function listen(options: { pollIntervalMs: number; reconnectDelayMs?: number }) {
    const wakes = { count: 0 };
    listener = new LogListener({ databaseUrl: db.url, ...options }, () => wakes.count++);
    await listener.start();
    await waitFor(() => listener!.listening, { what: 'the LISTEN connection' });
    return wakes;
  }

  it('wakes its reader on NOTIFY without waiting for the polling timer', async () => {
    const wakes = await listen({ pollIntervalMs: 600_000 });
    const before = wakes.count;
    await wakeLogReaders(db.pool);
    await waitFor(() => wakes.count > before, { what: 'a wake-up by NOTIFY' });
  });

  it('keeps waking its reader by polling when the LISTEN connection is killed', async () => {
    // A reconnect delay longer than the test: only the polling timer can wake the reader.
    const wakes = await listen({ pollIntervalMs: 50, reconnectDelayMs: 600_000 });
    const { rows } = await db.pool.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'vigil-log-listener'`,
    );
    expect(rows).toEqual([{ killed: true }]);
    await waitFor(() => !listener!.listening, { what: 'the listener to notice' });

    const before = wakes.count;
    await waitFor(() => wakes.count >= before + 3, { what: 'three wake-ups by the timer' });
    expect(listener!.listening).toBe(false);
  });
});
