import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { appendEvents } from './append-events';
import type { NewEvent } from './event.types';
import { assertLogNotFromTheFuture, LogFromTheFutureError } from './log-horizon-guard';
import { readStream } from './read-events';
import { StreamVersionConflictError } from './stream-version-conflict.error';

const event = (n: number): NewEvent => ({
  type: 'ArrestRecorded',
  schemaVersion: 1,
  data: { n },
  metadata: { correlationId: `c-${n}`, causationId: `k-${n}`, actor: 'test', source: 'unit' },
});

describe(appendEvents.name, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const count = async (): Promise<number> => (await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;

  it('numbers a new stream from 1 and keeps type, schema version, data and metadata', async () => {
    const result = await appendEvents(db.pool, [
      { streamId: 's-new', expected: 'no_stream', events: [event(1), event(2)] },
    ]);
    expect(result).toMatchObject({ replayed: false, streams: [{ streamId: 's-new', version: 2 }] });
    expect(result.positions).toHaveLength(2);
    const stored = await readStream(db.pool, 's-new');
    expect(stored.map((e) => [e.streamVersion, e.type, e.schemaVersion, e.data])).toEqual([
      [1, 'ArrestRecorded', 1, { n: 1 }],
      [2, 'ArrestRecorded', 1, { n: 2 }],
    ]);
    expect(stored[0].metadata).toEqual({ correlationId: 'c-1', causationId: 'k-1', actor: 'test', source: 'unit' });
  });

  it('appends at an exact expected version and refuses a stale one without writing', async () => {
    await appendEvents(db.pool, [{ streamId: 's-exact', expected: 'no_stream', events: [event(1)] }]);
    await appendEvents(db.pool, [{ streamId: 's-exact', expected: 1, events: [event(2)] }]);
    const before = await count();
    await expect(appendEvents(db.pool, [{ streamId: 's-exact', expected: 1, events: [event(3)] }])).rejects.toEqual(
      new StreamVersionConflictError('s-exact', 1, 2),
    );
    await expect(
      appendEvents(db.pool, [{ streamId: 's-exact', expected: 'no_stream', events: [event(3)] }]),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
    expect(await count()).toBe(before);
  });

  it('lets exactly one of several appends with the same expected version win', async () => {
    await appendEvents(db.pool, [{ streamId: 's-race', expected: 'no_stream', events: [event(0)] }]);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        appendEvents(db.pool, [{ streamId: 's-race', expected: 1, events: [event(i)] }]),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(9);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(StreamVersionConflictError);
    expect((await readStream(db.pool, 's-race')).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('appends under "any" from concurrent writers without conflicts or gaps', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendEvents(db.pool, [{ streamId: 's-any', expected: 'any', events: [event(i)] }]),
      ),
    );
    expect((await readStream(db.pool, 's-any')).map((e) => e.streamVersion)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('writes nothing to the first stream when the second stream conflicts', async () => {
    await appendEvents(db.pool, [{ streamId: 's-second', expected: 'no_stream', events: [event(1)] }]);
    const before = await count();
    await expect(
      appendEvents(db.pool, [
        { streamId: 's-first', expected: 'no_stream', events: [event(1)] },
        { streamId: 's-second', expected: 'no_stream', events: [event(2)] },
      ]),
    ).rejects.toMatchObject({ streamId: 's-second', expected: 0, actual: 1 });
    expect(await readStream(db.pool, 's-first')).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('appends to several streams in one transaction', async () => {
    const result = await appendEvents(db.pool, [
      { streamId: 'multi-a', expected: 'no_stream', events: [event(1), event(2)] },
      { streamId: 'multi-b', expected: 'no_stream', events: [event(3)] },
    ]);
    expect(result.streams).toEqual([
      { streamId: 'multi-a', version: 2 },
      { streamId: 'multi-b', version: 1 },
    ]);
    const { rows } = await db.pool.query(
      `SELECT DISTINCT transaction_id::text FROM events WHERE stream_id IN ('multi-a', 'multi-b')`,
    );
    expect(rows).toHaveLength(1);
  });

  it('returns the stored answer for a known idempotency key and appends nothing', async () => {
    const key = { scope: 'source:1', key: 'delivery-1' };
    const first = await appendEvents(db.pool, [{ streamId: 's-idem', expected: 'no_stream', events: [event(1)] }], {
      idempotency: key,
      answer: { incidentId: 'i-1' },
    });
    const before = await count();
    const again = await appendEvents(
      db.pool,
      [{ streamId: 's-idem-other', expected: 'no_stream', events: [event(2)] }],
      {
        idempotency: key,
        answer: { incidentId: 'i-2' },
      },
    );
    expect(again).toEqual({ ...first, replayed: true, matchedKey: 0 });
    expect(again.answer).toEqual({ incidentId: 'i-1' });
    expect(await count()).toBe(before);
  });

  it('appends once when the same idempotency key arrives ten times at once', async () => {
    const key = { scope: 'source:1', key: 'burst' };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        appendEvents(db.pool, [{ streamId: `s-burst-${i}`, expected: 'no_stream', events: [event(i)] }], {
          idempotency: key,
        }),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 's-burst-%'`);
    expect(rows[0].n).toBe(1);
  });

  it('guards one append with several keys and says which one replayed', async () => {
    const delivery = { scope: 'webhook:src', key: 'msg-1' };
    const report = { scope: 'external:src', key: 'report-1' };
    const first = await appendEvents(db.pool, [{ streamId: 's-two-keys', expected: 'no_stream', events: [event(1)] }], {
      idempotency: [delivery, report],
      answer: { hash: 'h1' },
    });
    const sameReportNewDelivery = await appendEvents(
      db.pool,
      [{ streamId: 's-two-keys-b', expected: 'no_stream', events: [event(2)] }],
      {
        idempotency: [{ scope: 'webhook:src', key: 'msg-2' }, report],
      },
    );
    expect(sameReportNewDelivery).toMatchObject({
      replayed: true,
      matchedKey: 1,
      answer: { hash: 'h1' },
      positions: first.positions,
    });
    const sameDelivery = await appendEvents(
      db.pool,
      [{ streamId: 's-two-keys-c', expected: 'no_stream', events: [event(3)] }],
      {
        idempotency: [delivery, { scope: 'external:src', key: 'report-2' }],
      },
    );
    expect(sameDelivery).toMatchObject({ replayed: true, matchedKey: 0 });
    // vigil_idempotent_answer: the same answer read without appending (intake asks it before resolving names).
    const answerFor = async (keys: { scope: string; key: string }[]) =>
      (
        await db.pool.query('SELECT vigil_idempotent_answer($1, $2) AS answer', [
          keys.map((k) => k.scope),
          keys.map((k) => k.key),
        ])
      ).rows[0].answer;
    expect(await answerFor([{ scope: 'webhook:src', key: 'msg-9' }, report])).toMatchObject({
      replayed: true,
      matchedKey: 1,
      answer: { hash: 'h1' },
    });
    expect(await answerFor([{ scope: 'webhook:src', key: 'msg-9' }])).toBeNull();
    // The replays stored nothing: the new delivery id is still unknown.
    const { rows } = await db.pool.query(`SELECT key FROM idempotency_keys WHERE key IN ('msg-2', 'report-2')`);
    expect(rows).toEqual([]);
  });

  it('keeps idempotency keys of different scopes apart', async () => {
    const a = await appendEvents(db.pool, [{ streamId: 's-scope-a', expected: 'no_stream', events: [event(1)] }], {
      idempotency: { scope: 'source:a', key: 'same' },
    });
    const b = await appendEvents(db.pool, [{ streamId: 's-scope-b', expected: 'no_stream', events: [event(1)] }], {
      idempotency: { scope: 'source:b', key: 'same' },
    });
    expect([a.replayed, b.replayed]).toEqual([false, false]);
  });

  it('refuses to run inside a transaction that already drew a transaction id', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await expect(
        client.query(
          `SELECT vigil_append(ARRAY['s-late'], ARRAY[NULL::bigint], '[{"stream":1,"type":"X","schemaVersion":1,"data":{}}]', NULL, NULL, NULL)`,
        ),
      ).rejects.toMatchObject({ code: 'VG001' });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('keeps the log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(db.pool.query(`UPDATE events SET type = 'Forged'`)).rejects.toMatchObject({ code: 'VG002' });
    await expect(db.pool.query(`DELETE FROM events`)).rejects.toMatchObject({ code: 'VG002' });
    await expect(db.pool.query(`TRUNCATE events`)).rejects.toMatchObject({ code: 'VG002' });
    await expect(db.pool.query(`TRUNCATE events RESTART IDENTITY CASCADE`)).rejects.toMatchObject({ code: 'VG002' });
  });
});

describe(assertLogNotFromTheFuture.name, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('accepts an empty log and a log written by this cluster', async () => {
    await expect(assertLogNotFromTheFuture(db.pool)).resolves.toBeUndefined();
    await appendEvents(db.pool, [{ streamId: 'now', expected: 'any', events: [event(1)] }]);
    // The log's newest transaction id is now the newest this cluster has handed out (unless another session drew one since).
    await expect(assertLogNotFromTheFuture(db.pool)).resolves.toBeUndefined();
  });

  it('refuses a log holding transaction ids this cluster has not reached (a logical restore)', async () => {
    await db.pool.query(
      `INSERT INTO events (stream_id, version, type, schema_version, data, transaction_id)
       VALUES ('restored', 1, 'ArrestRecorded', 1, '{}', (pg_snapshot_xmax(pg_current_snapshot())::text::bigint + 1000000)::text::xid8)`,
    );
    await expect(assertLogNotFromTheFuture(db.pool)).rejects.toBeInstanceOf(LogFromTheFutureError);
  });
});
