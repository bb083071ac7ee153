import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import { appendEvents } from './append-events';
import { START_OF_LOG } from './event.types';
import { readEventsAfter, readStream } from './read-events';

// These specs hold transactions open on purpose, which holds back the xmin horizon of the whole
// cluster: they run in the serial pass (jest.serial.config.js), after every other suite.

const APPEND_SQL = `SELECT vigil_append(ARRAY[$1], ARRAY[NULL::bigint], $2, NULL, NULL, NULL) AS result`;
const oneEvent = (type: string) => JSON.stringify([{ stream: 1, type, schemaVersion: 1, data: {} }]);

describe(readEventsAfter.name, () => {
  let db: TestDatabase;
  const clients: PoolClient[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  });
  afterAll(() => db.drop());

  async function openTransaction(): Promise<PoolClient> {
    const client = await db.pool.connect();
    clients.push(client);
    await client.query('BEGIN');
    return client;
  }

  it('never passes an append that commits after a later one, and yields both in order', async () => {
    const first = await openTransaction();
    const second = await openTransaction();
    const a = (await first.query(APPEND_SQL, ['held-first', oneEvent('First')])).rows[0].result;
    const b = (await second.query(APPEND_SQL, ['held-second', oneEvent('Second')])).rows[0].result;
    expect(BigInt(a.transactionId)).toBeLessThan(BigInt(b.transactionId));

    await second.query('COMMIT'); // the later transaction commits first
    const whileOpen = await readEventsAfter(db.pool, START_OF_LOG, 10);
    expect(whileOpen.events).toEqual([]);
    expect(whileOpen.checkpoint).toEqual(START_OF_LOG);

    await first.query('COMMIT');
    const after = await readEventsAfter(db.pool, whileOpen.checkpoint, 10);
    expect(after.events.map((e) => e.type)).toEqual(['First', 'Second']);
    expect(after.checkpoint).toEqual({ transactionId: b.transactionId, position: b.positions[0] });
  });

  it("orders a stream's versions by transaction id: an append waiting for its stream lock holds no transaction id", async () => {
    // The lock an in-flight append of this stream would hold.
    const holder = await openTransaction();
    await holder.query(`SELECT pg_advisory_xact_lock(vigil_lock_key('stream:' || $1))`, ['locked']);

    const waiting = db.pool.connect();
    const appendClient = await waiting;
    clients.push(appendClient);
    const { rows } = await appendClient.query('SELECT pg_backend_pid() AS pid');
    const firstAppend = appendClient.query(APPEND_SQL, ['locked', oneEvent('A')]);

    const state = await waitFor(
      async () => {
        const r = await db.pool.query(
          `SELECT wait_event_type, backend_xid::text AS xid FROM pg_stat_activity WHERE pid = $1`,
          [rows[0].pid],
        );
        return r.rows[0]?.wait_event_type === 'Lock' ? r.rows[0] : undefined;
      },
      { what: 'the append to wait for the stream lock' },
    );
    expect(state.xid).toBeNull();

    // Meanwhile another transaction draws its id and stays open; then a second append queues up.
    const bystander = await openTransaction();
    const bystanderId = (await bystander.query('SELECT pg_current_xact_id()::text AS id')).rows[0].id;
    const secondAppend = appendEvents(db.pool, [
      { streamId: 'locked', expected: 'any', events: [{ type: 'B', schemaVersion: 1, data: {} }] },
    ]);

    await holder.query('COMMIT');
    const a = (await firstAppend).rows[0].result;
    const b = await secondAppend;
    await bystander.query('COMMIT');

    expect(BigInt(a.transactionId)).toBeGreaterThan(BigInt(bystanderId));
    expect(BigInt(b.transactionId)).toBeGreaterThan(BigInt(a.transactionId));
    const batch = await readEventsAfter(db.pool, START_OF_LOG, 100);
    const locked = batch.events.filter((e) => e.streamId === 'locked');
    expect(locked.map((e) => [e.type, e.streamVersion])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect(await readStream(db.pool, 'locked')).toHaveLength(2);
  });
});
