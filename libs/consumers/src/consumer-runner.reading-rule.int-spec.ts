import { appendEvents, LogNotifier, type RecordedEvent } from '@vigil/event-store';
import { createLogger, inTransaction } from '@vigil/platform';
import { waitUntilCaughtUp } from '../../../test/support/caught-up';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import type { Consumer } from './consumer';
import { ConsumerRunner } from './consumer-runner';

// The runner reads the log by (transaction id, position) below the snapshot's xmin (docs/architecture.md):
// these specs race it against writers whose transactions commit out of position order, some holding their
// commit open, and check it still sees every event once, in each stream's order.

const logger = createLogger('test', 'silent');

/** vigil_append as appendEvents sends it, for writers that must hold their transaction open after it. */
const APPEND_SQL = `SELECT vigil_append(ARRAY[$1], ARRAY[NULL::bigint], $2, NULL, NULL, NULL)`;
const oneEvent = (data: unknown) => JSON.stringify([{ stream: 1, type: 'T', schemaVersion: 1, data }]);

describe(`${ConsumerRunner.name} and the reading rule`, () => {
  let db: TestDatabase;
  let runner: ConsumerRunner | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await db.drop();
  });

  /** Runs a consumer that records every event it is handed, in the order it is handed them. */
  async function follow(batchSize: number): Promise<RecordedEvent[]> {
    const seen: RecordedEvent[] = [];
    const consumer: Consumer = {
      name: 'follower',
      handles: ['T'],
      async applyBatch(events) {
        seen.push(...events);
      },
    };
    runner = new ConsumerRunner(db.pool, consumer, {
      databaseUrl: db.url,
      logger,
      batchSize,
      pollIntervalMs: 100,
      lockIntervalMs: 50,
    });
    await runner.start();
    return seen;
  }

  it('hands its consumer every event exactly once, in stream order, while 8 writers append 2,400 events, every third holding its commit open', async () => {
    const seen = await follow(100);
    const notifier = new LogNotifier(db.pool, (error) => logger.warn({ err: error }, 'NOTIFY failed'));
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 300; i++) {
          // Half the writers share hot streams, half write streams of their own.
          const streamId = w % 2 === 0 ? `hot-${i % 5}` : `own-${w}-${i % 10}`;
          if (i % 3 === 0) {
            // Drawn its transaction id and written, it commits up to 50 ms later: appends that began after it
            // commit before it, at higher positions.
            await inTransaction(db.pool, async (tx) => {
              await tx.query(APPEND_SQL, [streamId, oneEvent({ w, i })]);
              await tx.query('SELECT pg_sleep($1)', [((w * 7 + i) % 6) / 100]);
            });
          } else {
            await appendEvents(db.pool, [
              { streamId, expected: 'any', events: [{ type: 'T', schemaVersion: 1, data: { w, i } }] },
            ]);
          }
          notifier.notifyAppended();
        }
      }),
    );
    await notifier.drain();
    const { rows } = await db.pool.query<{ position: number }>('SELECT position FROM events ORDER BY position');
    expect(rows).toHaveLength(2_400);
    // The checkpoint past every event first, then what the consumer was handed.
    await waitUntilCaughtUp(db.pool, 'follower');

    // Every event once: none missed (a reader by position would skip the held appends), none twice.
    expect(seen.map((event) => event.position).sort((a, b) => a - b)).toEqual(rows.map((row) => row.position));
    // In each stream's order.
    const lastVersion = new Map<string, number>();
    const outOfOrder = seen.filter((event) => {
      const expected = (lastVersion.get(event.streamId) ?? 0) + 1;
      lastVersion.set(event.streamId, event.streamVersion);
      return event.streamVersion !== expected;
    });
    expect(outOfOrder).toEqual([]);
  });

  it('orders by transaction id as a number, not as text', async () => {
    // Ids 5 and 10 are long past, so below xmin; as text '10' would sort before '5'.
    await db.pool.query(`
      INSERT INTO events (stream_id, version, type, schema_version, data, transaction_id)
      VALUES ('old', 1, 'T', 1, '{"n": "by 10"}', '10'::xid8), ('old', 2, 'T', 1, '{"n": "by 5"}', '5'::xid8)`);
    const seen = await follow(10);
    await waitFor(() => seen.length === 2, { what: 'both events' });
    expect(seen.map((event) => [event.transactionId, event.data])).toEqual([
      ['5', { n: 'by 5' }],
      ['10', { n: 'by 10' }],
    ]);
  });

  it('moves past the hole a rolled-back append leaves without waiting for it', async () => {
    const seen = await follow(10);
    await inTransaction(db.pool, async (tx) => {
      await tx.query(APPEND_SQL, ['rolled-back', oneEvent({})]);
      throw new Error('roll it back');
    }).catch(() => undefined);
    const after = await appendEvents(db.pool, [
      { streamId: 'kept', expected: 'no_stream', events: [{ type: 'T', schemaVersion: 1, data: {} }] },
    ]);
    await waitFor(() => seen.length === 1, { what: 'the event after the hole' });
    expect(seen[0].position).toBe(after.positions[0]);
    expect(after.positions[0]).toBeGreaterThan(1); // position 1 went to the rolled-back append
  });
});
