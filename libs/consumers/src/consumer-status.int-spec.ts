import { appendEvents, checkpointAfterAppendAt } from '@vigil/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { readLogStatus } from './consumer-status';

// Events and checkpoints are written with plain SQL here, so that ages, transaction ids and checkpoint
// rows are exactly what each case needs; holding a transaction open is for consumer-status.serial-spec.ts.

describe(readLogStatus.name, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  interface Logged {
    position: number;
    tx: string;
  }

  /** Events of one transaction, the i-th (1-based) recorded `ageSeconds(i)` seconds ago. */
  async function insertEvents(
    stream: string,
    count: number,
    ageSeconds: (i: number) => number = () => 0,
  ): Promise<Logged[]> {
    const { rows } = await db.pool.query<Logged>(
      `INSERT INTO events (stream_id, version, type, schema_version, data, recorded_at)
       SELECT $1, g, 'T', 1, '{}', now() - make_interval(secs => a)
         FROM unnest($2::int[], $3::float8[]) AS u(g, a)
       RETURNING position, transaction_id::text AS tx`,
      [
        stream,
        Array.from({ length: count }, (_, i) => i + 1),
        Array.from({ length: count }, (_, i) => ageSeconds(i + 1)),
      ],
    );
    return rows.sort((a, b) => a.position - b.position);
  }

  async function setCheckpoint(
    name: string,
    at: Logged | null,
    status = 'running',
    lastError: string | null = null,
  ): Promise<void> {
    await db.pool.query(
      `INSERT INTO consumer_checkpoints (name, last_tx, last_position, status, last_error) VALUES ($1, $2::xid8, $3, $4, $5)`,
      [name, at?.tx ?? '0', at?.position ?? 0, status, lastError],
    );
  }

  it('reports the head of the log and, per consumer, its position, the events after its checkpoint and the age of the oldest of them', async () => {
    // Five events recorded 600, 599, … 596 seconds before the database's now().
    const before = Date.now();
    const logged = await insertEvents('old', 5, (i) => 601 - i);
    await setCheckpoint('behind', logged[1]);
    await setCheckpoint('current', logged[4]);
    await setCheckpoint('broken', logged[0], 'failed', `event ${logged[1].position} (T): Error: boom`);

    const status = await readLogStatus(db.pool, ['behind', 'current', 'broken', 'never-ran']);
    // The insert's now() and the status's clock both fall in [before, after]: an age is off by no more than that.
    const elapsed = Date.now() - before;

    expect(status.headPosition).toBe(logged[4].position);
    expect(
      status.consumers.map(({ name, position, lag, status, lastError }) => ({
        name,
        position,
        lag,
        status,
        lastError,
      })),
    ).toEqual([
      { name: 'behind', position: logged[1].position, lag: 3, status: 'catching_up', lastError: null },
      { name: 'current', position: logged[4].position, lag: 0, status: 'running', lastError: null },
      {
        name: 'broken',
        position: logged[0].position,
        lag: 4,
        status: 'failed',
        lastError: `event ${logged[1].position} (T): Error: boom`,
      },
      // No checkpoint row yet: at the start of the log.
      { name: 'never-ran', position: 0, lag: 5, status: 'catching_up', lastError: null },
    ]);
    const ages = status.consumers.map((consumer) => consumer.oldestUnprocessedAgeMs);
    // The oldest event after each checkpoint: the third (598 s), none, the second (599 s), the first (600 s).
    const near = (age: number, seconds: number) => Math.abs(age - seconds * 1_000) <= elapsed + 1;
    expect(ages[1]).toBe(0);
    expect([near(ages[0], 598), near(ages[2], 599), near(ages[3], 600)]).toEqual([true, true, true]);
  });

  it('counts the lag in log order (transaction id, position), not as head minus position', async () => {
    // Position 1 was written by transaction 10 and position 2 by transaction 5 (both long committed): in the
    // log, position 2 comes first.
    const { rows } = await db.pool.query<Logged>(
      `INSERT INTO events (stream_id, version, type, schema_version, data, transaction_id)
       VALUES ('late', 1, 'T', 1, '{}', '10'::xid8), ('early', 1, 'T', 1, '{}', '5'::xid8)
       RETURNING position, transaction_id::text AS tx`,
    );
    const [byTen, byFive] = rows.sort((a, b) => a.position - b.position);
    await setCheckpoint('at-head-position', byFive);
    await setCheckpoint('at-end-of-log', byTen);

    const status = await readLogStatus(db.pool, ['at-head-position', 'at-end-of-log']);
    expect(status.headPosition).toBe(byFive.position);
    expect(status.consumers.map(({ name, position, lag }) => ({ name, position, lag }))).toEqual([
      // Its position is the head's, yet the event at the lower position is still to come.
      { name: 'at-head-position', position: byFive.position, lag: 1 },
      // Its position is below the head's, yet nothing is left.
      { name: 'at-end-of-log', position: byTen.position, lag: 0 },
    ]);
  });

  it('says whether each consumer has passed an append by the reading order, not by its position alone', async () => {
    // An append of two events by transaction 10, then one by transaction 5 at a higher position: in reading
    // order the one of transaction 5 comes first (docs/architecture.md, "The reading rule").
    const { rows } = await db.pool.query<Logged>(
      `INSERT INTO events (stream_id, version, type, schema_version, data, transaction_id)
       VALUES ('ours', 1, 'T', 1, '{}', '10'::xid8), ('ours-too', 1, 'T', 1, '{}', '10'::xid8),
              ('theirs', 1, 'T', 1, '{}', '5'::xid8)
       RETURNING position, transaction_id::text AS tx`,
    );
    const [ours, oursToo, theirs] = rows.sort((a, b) => a.position - b.position);
    const afterOurs = await checkpointAfterAppendAt(db.pool, ours.position);
    // Any position of an append stands for the whole of it: its transaction and its last event.
    expect(afterOurs).toEqual({ transactionId: '10', position: oursToo.position });
    expect(await checkpointAfterAppendAt(db.pool, oursToo.position)).toEqual(afterOurs);
    expect(await checkpointAfterAppendAt(db.pool, theirs.position + 1)).toBeUndefined();
    await setCheckpoint('above-by-position', theirs);
    await setCheckpoint('in-the-append', ours);
    await setCheckpoint('past-it', oursToo);

    const names = ['above-by-position', 'in-the-append', 'past-it'];
    const status = await readLogStatus(db.pool, names, afterOurs);
    expect(status.consumers.map(({ name, position, passed }) => ({ name, position, passed }))).toEqual([
      // Its position is above ours, yet our append is still to come.
      { name: 'above-by-position', position: theirs.position, passed: false },
      { name: 'in-the-append', position: ours.position, passed: false },
      { name: 'past-it', position: oursToo.position, passed: true },
    ]);
    const afterTheirs = await checkpointAfterAppendAt(db.pool, theirs.position);
    expect((await readLogStatus(db.pool, names, afterTheirs)).consumers.map((c) => c.passed)).toEqual([
      true,
      true,
      true,
    ]);
    // Asked about no append, a status says nothing of it.
    expect((await readLogStatus(db.pool, names)).consumers.every((c) => !('passed' in c))).toBe(true);
  });

  it("reports 'catching_up' from 1,000 events behind, 'running' below, and 'rebuilding' as stored", async () => {
    // Recorded a minute ahead of now(), so that their age (0) plays no part however slow the machine.
    await insertEvents('bulk', 999, () => -60);
    await setCheckpoint('reader', null);
    await setCheckpoint('rebuilder', null, 'rebuilding');

    const below = await readLogStatus(db.pool, ['reader', 'rebuilder']);
    expect(below.consumers.map(({ name, lag, status }) => ({ name, lag, status }))).toEqual([
      { name: 'reader', lag: 999, status: 'running' },
      { name: 'rebuilder', lag: 999, status: 'rebuilding' },
    ]);
    expect(below.consumers[0].oldestUnprocessedAgeMs).toBe(0);

    await appendEvents(db.pool, [
      { streamId: 'one-more', expected: 'no_stream', events: [{ type: 'T', schemaVersion: 1, data: {} }] },
    ]);
    const at = await readLogStatus(db.pool, ['reader', 'rebuilder']);
    expect(at.headPosition).toBe(below.headPosition + 1);
    expect(at.consumers.map(({ name, lag, status }) => ({ name, lag, status }))).toEqual([
      { name: 'reader', lag: 1_000, status: 'catching_up' },
      { name: 'rebuilder', lag: 1_000, status: 'rebuilding' },
    ]);
  });

  it('reports an empty log as head 0 with nothing to do', async () => {
    const status = await readLogStatus(db.pool, ['anyone']);
    expect(status.headPosition).toBe(0);
    expect(status.consumers).toEqual([
      { name: 'anyone', position: 0, lag: 0, oldestUnprocessedAgeMs: 0, status: 'running', lastError: null },
    ]);
  });
});
