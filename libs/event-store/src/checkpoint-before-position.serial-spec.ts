import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import { appendEvents } from './append-events';
import { checkpointBeforePosition, readEventsAfter } from './read-events';

// These specs hold transactions open on purpose, which holds back the xmin horizon of the whole
// cluster: they run in the serial pass (jest.serial.config.js), after every other suite. Reads wait for
// what they expect: a transaction open elsewhere in the cluster holds the horizon too, and the guarantee
// is that nothing above the position is skipped, while events at or below it may come as well.

const APPEND_SQL = `SELECT vigil_append(ARRAY[$1], ARRAY[NULL::bigint], $2, NULL, NULL, NULL) AS result`;
const oneEvent = (type: string) => JSON.stringify([{ stream: 1, type, schemaVersion: 1, data: {} }]);

describe(checkpointBeforePosition.name, () => {
  let db: TestDatabase;
  const clients: PoolClient[] = [];
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    await db.drop();
  });

  async function openTransaction(): Promise<PoolClient> {
    const client = await db.pool.connect();
    clients.push(client);
    await client.query('BEGIN');
    return client;
  }
  const append = async (type: string) =>
    (await appendEvents(db.pool, [{ streamId: type, expected: 'any', events: [{ type, schemaVersion: 1, data: {} }] }]))
      .positions[0];
  const typesFrom = async (position: number) =>
    (await readEventsAfter(db.pool, await checkpointBeforePosition(db.pool, position), 100)).events.map((e) => e.type);
  /** Jumps to the position and reads until these types have come; answers what came, in order. */
  const readingFrom = (position: number, types: string[]) =>
    waitFor(
      async () => {
        const read = await typesFrom(position);
        return types.every((type) => read.includes(type)) && read;
      },
      { what: `${types.join(', ')} after position ${position}` },
    );
  const inOrder = (read: string[], types: string[]) => read.filter((type) => types.includes(type));

  it('starts before an event above the position whose transaction id is older than the event at it', async () => {
    const before = await append('Before');
    // A writer that drew its transaction id first and inserts last (vigil_append never does; a reader must not care).
    const early = await openTransaction();
    await early.query('SELECT pg_current_xact_id()');
    const at = await append('At');
    await early.query(
      `INSERT INTO events (stream_id, version, type, schema_version, data) VALUES ('Above', 1, 'Above', 1, '{}')`,
    );
    await early.query('COMMIT');

    expect(inOrder(await readingFrom(at, ['Above']), ['Above', 'At'])).toEqual(['Above', 'At']);
    expect(inOrder(await readingFrom(before, ['Above', 'At']), ['Above', 'At'])).toEqual(['Above', 'At']);
    expect(await readingFrom(0, ['Before', 'Above', 'At'])).toEqual(['Before', 'Above', 'At']);
  });

  it('meets an append still open at the jump once it commits, and every later one', async () => {
    const before = await append('Before');
    const held = await openTransaction();
    const heldPosition = (await held.query(APPEND_SQL, ['held', oneEvent('Held')])).rows[0].result.positions[0];
    const later = await append('Later');
    expect(later).toBeGreaterThan(heldPosition);

    for (const position of [before, heldPosition, later - 1]) {
      const start = await checkpointBeforePosition(db.pool, position);
      const whileOpen = await readEventsAfter(db.pool, start, 100);
      expect(whileOpen.events).toEqual([]);
      expect(whileOpen.checkpoint).toEqual(start);
    }
    const starts = await Promise.all([before, heldPosition].map((p) => checkpointBeforePosition(db.pool, p)));
    await held.query('COMMIT');
    for (const start of starts) {
      const read = await waitFor(
        async () => {
          const types = (await readEventsAfter(db.pool, start, 100)).events.map((e) => e.type);
          return types.includes('Held') && types.includes('Later') && types;
        },
        { what: 'the held append and the later one' },
      );
      expect(inOrder(read, ['Held', 'Later'])).toEqual(['Held', 'Later']);
    }
  });
});
