import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import { appendEvents } from './append-events';
import { CatchUpSubscription } from './catch-up-subscription';
import { START_OF_LOG, type RecordedEvent } from './event.types';
import { LogNotifier } from './log-notifier';
import { readEventsAfter } from './read-events';

describe(CatchUpSubscription.name, () => {
  let db: TestDatabase;
  const subscriptions: CatchUpSubscription[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await db.drop();
  });

  function follow(options: { pollIntervalMs?: number; reconnectDelayMs?: number } = {}) {
    const seen: RecordedEvent[] = [];
    const subscription = new CatchUpSubscription(db.pool, {
      databaseUrl: db.url,
      from: START_OF_LOG,
      batchSize: 200,
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      reconnectDelayMs: options.reconnectDelayMs,
      handle: async (events) => {
        seen.push(...events);
      },
    });
    subscriptions.push(subscription);
    return { subscription, seen };
  }

  it('orders by transaction id as a number, not as text', async () => {
    // Ids 5 and 10 are long past, so below xmin; as text '10' would sort before '5'.
    await db.pool.query(`
      INSERT INTO events (stream_id, version, type, schema_version, data, transaction_id)
      VALUES ('old', 1, 'A', 1, '{}', '10'::xid8), ('old', 2, 'B', 1, '{}', '5'::xid8)`);
    const batch = await readEventsAfter(db.pool, START_OF_LOG, 10);
    expect(batch.events.map((e) => [e.transactionId, e.type])).toEqual([
      ['5', 'B'],
      ['10', 'A'],
    ]);
  });

  it('delivers every event exactly once, in stream order, while 8 writers append 5,000 events', async () => {
    const notifier = new LogNotifier(db.pool);
    const { subscription, seen } = follow();
    await subscription.start();
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 625; i++) {
        // Half the writers share hot streams under 'any', half write their own streams.
        const streamId = w % 2 === 0 ? `hot-${i % 5}` : `own-${w}-${i}`;
        await appendEvents(db.pool, [
          { streamId, expected: 'any', events: [{ type: 'T', schemaVersion: 1, data: { w, i } }] },
        ]);
        notifier.notifyAppended();
      }
    });
    await Promise.all(writers);
    await waitFor(() => seen.length >= 5_000, { timeoutMs: 30_000, what: '5,000 events' });
    await notifier.drain();

    const positions = seen.map((e) => e.position);
    expect(new Set(positions).size).toBe(5_000);
    expect(seen).toHaveLength(5_000);
    const lastVersion = new Map<string, number>();
    for (const event of seen) {
      expect(event.version).toBe((lastVersion.get(event.streamId) ?? 0) + 1);
      lastVersion.set(event.streamId, event.version);
    }
  });

  it('keeps delivering by polling when the LISTEN connection is killed', async () => {
    // A reconnect delay longer than the test: only the polling timer can bring the events.
    const { subscription, seen } = follow({ pollIntervalMs: 100, reconnectDelayMs: 120_000 });
    await subscription.start();
    await waitFor(() => subscription.listening, { what: 'LISTEN connection' });

    const { rows } = await db.pool.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'vigil-log-listener'`,
    );
    expect(rows).toEqual([{ killed: true }]);
    await waitFor(() => !subscription.listening, { what: 'the listener to notice' });

    await appendEvents(db.pool, [
      { streamId: 'after-kill', expected: 'no_stream', events: [{ type: 'T', schemaVersion: 1, data: {} }] },
    ]);
    await db.pool.query(`SELECT pg_notify('vigil_events', '')`);
    await waitFor(() => seen.some((e) => e.streamId === 'after-kill'), { what: 'the event by polling' });
    expect(subscription.listening).toBe(false);
  });

  it('wakes on NOTIFY without waiting for the polling timer', async () => {
    const { subscription, seen } = follow({ pollIntervalMs: 120_000 });
    await subscription.start();
    await waitFor(() => subscription.listening, { what: 'LISTEN connection' });
    await appendEvents(db.pool, [
      { streamId: 'notified', expected: 'no_stream', events: [{ type: 'T', schemaVersion: 1, data: {} }] },
    ]);
    new LogNotifier(db.pool).notifyAppended();
    await waitFor(() => seen.length === 1, { what: 'the notified event' });
  });

  it('moves past the hole a rolled-back append leaves without waiting for it', async () => {
    const { subscription, seen } = follow({ pollIntervalMs: 50 });
    await subscription.start();
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT vigil_append(ARRAY['rolled-back'], ARRAY[NULL::bigint], '[{"stream":1,"type":"T","schemaVersion":1,"data":{}}]', NULL, NULL, NULL)`,
      );
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const after = await appendEvents(db.pool, [
      { streamId: 'kept', expected: 'no_stream', events: [{ type: 'T', schemaVersion: 1, data: {} }] },
    ]);
    await waitFor(() => seen.length === 1, { what: 'the event after the hole' });
    expect(seen[0].position).toBe(after.positions[0]);
    expect(after.positions[0]).toBeGreaterThan(1); // position 1 went to the rolled-back append
  });
});
