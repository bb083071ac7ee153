import type { PoolClient } from 'pg';
import { appendEvents, type Checkpoint } from '@vigil/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import { readLogStatus } from './consumer-status';

// This spec holds a writing transaction open on purpose, which holds back the xmin horizon of the whole
// cluster: it runs in the serial pass (jest.serial.config.js), after every other suite. Other clusters'
// users may still have short transactions open: the horizon is awaited, not assumed.

const APPEND_SQL = `SELECT vigil_append(ARRAY[$1], ARRAY[NULL::bigint], $2, NULL, NULL, NULL) AS result`;
const oneEvent = JSON.stringify([{ stream: 1, type: 'T', schemaVersion: 1, data: {} }]);
const tEvent = { type: 'T', schemaVersion: 1, data: {} };

describe(readLogStatus.name, () => {
  let db: TestDatabase;
  let holder: PoolClient | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await holder?.query('ROLLBACK').catch(() => undefined);
    holder?.release();
    holder = undefined;
  });
  afterAll(() => db.drop());

  it('names the open writing transaction that holds committed events back from readers, and counts those events in the lag', async () => {
    const first = await appendEvents(db.pool, [{ streamId: 'before', expected: 'no_stream', events: [tEvent] }]);
    const checkpoint: Checkpoint = { transactionId: first.transactionId, position: first.positions[0] };
    await db.pool.query(
      `INSERT INTO consumer_checkpoints (name, last_tx, last_position) VALUES ('reader', $1::xid8, $2)`,
      [checkpoint.transactionId, checkpoint.position],
    );
    await waitFor(async () => (await readLogStatus(db.pool, ['reader'])).horizonHeldBy === null, {
      what: 'a free horizon',
    });

    // An append that has written and not committed: its transaction id is now the horizon.
    holder = await db.pool.connect();
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await holder.query('BEGIN');
    await holder.query(APPEND_SQL, ['held', oneEvent]);
    // A later append commits above it.
    const later = await appendEvents(db.pool, [{ streamId: 'after', expected: 'no_stream', events: [tEvent] }]);

    const held = await waitFor(
      async () => {
        const status = await readLogStatus(db.pool, ['reader']);
        return status.horizonHeldBy?.pid === holderPid && status;
      },
      { what: 'the holder to be named' },
    );
    expect(held.horizonHeldBy).toEqual({
      pid: holderPid,
      database: db.name,
      application: 'vigil-test',
      state: 'idle in transaction',
      transactionAgeMs: expect.any(Number),
    });
    expect(held.headPosition).toBe(later.positions[0]);
    // The committed event waits for the reader, the uncommitted one is not counted.
    expect(held.consumers).toEqual([
      expect.objectContaining({ name: 'reader', position: checkpoint.position, lag: 1, status: 'running' }),
    ]);

    await holder.query('COMMIT');
    const released = await waitFor(
      async () => {
        const status = await readLogStatus(db.pool, ['reader']);
        return status.horizonHeldBy === null && status;
      },
      { what: 'the horizon to be free' },
    );
    expect(released.consumers[0].lag).toBe(2);
  });
});
