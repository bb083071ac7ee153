import { randomUUID } from 'node:crypto';
import { incidentStreamId } from '@vigil/domain';
import { EventStore, StreamVersionConflictError, type StreamAppend } from '@vigil/event-store';
import { createLogger, ErrorReporter, Metrics } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { candidatesMoved, IncidentMatchIndex, type Candidate } from './incident-match-index';

/** vigil_record_report through IncidentMatchIndex.record: the lock, the check, the append and the rows. */
describe('IncidentMatchIndex.record', () => {
  let db: TestDatabase;
  let store: EventStore;
  let index: IncidentMatchIndex;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.pool, new Metrics(false), new ErrorReporter(createLogger('test', 'silent')));
    index = new IncidentMatchIndex(db.pool);
  });
  afterAll(async () => {
    await store.drain();
    await db.drop();
  });

  const recorded = (incidentId: string, expected: StreamAppend['expected'] = 'no_stream'): StreamAppend[] => [
    {
      streamId: incidentStreamId(incidentId),
      expected,
      events: [{ type: 'ArrestRecorded', schemaVersion: 1, data: { incidentId } }],
    },
  ];
  const rowsFor = (personId: string, incidentId: string) =>
    IncidentMatchIndex.rowsOf('arrest', incidentId, [{ personId }], []);
  const on = (personId: string) => [{ subject: 'person' as const, id: personId }];
  const candidates = (entries: [string, number][]) =>
    new Map(entries.map(([id, version]): [string, Candidate] => [id, { state: {} as Candidate['state'], version }]));
  const indexed = async (personId: string): Promise<string[]> =>
    (
      await db.pool.query<{ incident_id: string }>(
        `SELECT incident_id FROM incident_match_subjects WHERE subject_id = $1 ORDER BY incident_id`,
        [personId],
      )
    ).rows.map((row) => row.incident_id);
  const events = async (): Promise<number> =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;

  it('refuses a report decided on candidates that moved before the lock, writing nothing', async () => {
    const personId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const result = await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([]) },
      rowsFor(personId, first),
      recorded(first),
      {},
    );
    expect(result).toMatchObject({ replayed: false, positions: [expect.any(Number)] });
    expect(await indexed(personId)).toEqual([first]);

    // Decided while the first was not there yet: its candidates (none) are not those under the lock.
    const before = await events();
    const moved = await index
      .record(
        store,
        { type: 'arrest', on: on(personId), candidates: candidates([]) },
        rowsFor(personId, second),
        recorded(second),
        {},
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(candidatesMoved(moved)).toBe(true);
    expect(await events()).toBe(before);
    expect(await indexed(personId)).toEqual([first]);

    // Decided on what is there now (the first at version 1), it goes in.
    await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([[first, 1]]) },
      rowsFor(personId, second),
      recorded(second),
      {},
    );
    expect(await indexed(personId)).toEqual([first, second].sort());
  });

  it("answers a replay with the first answer and indexes nothing of the replay's decision", async () => {
    const personId = randomUUID();
    const [first, again] = [randomUUID(), randomUUID()];
    const key = { scope: 'report:test', key: randomUUID() };
    await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([]) },
      rowsFor(personId, first),
      recorded(first),
      { idempotency: key, answer: { incidentId: first } },
    );
    const replayed = await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([[first, 1]]) },
      rowsFor(personId, again),
      recorded(again),
      { idempotency: key, answer: { incidentId: again } },
    );
    expect(replayed).toMatchObject({ replayed: true, answer: { incidentId: first } });
    expect(await indexed(personId)).toEqual([first]);

    // A duplicate appends nothing, and still gets the answer a key of the report stored meanwhile.
    const duplicate = await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([[first, 1]]) },
      [],
      [],
      { idempotency: key },
    );
    expect(duplicate).toMatchObject({ replayed: true, answer: { incidentId: first } });
    const unseen = await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([[first, 1]]) },
      [],
      [],
      { idempotency: { scope: 'report:test', key: randomUUID() } },
    );
    expect(unseen).toMatchObject({ replayed: false, positions: [] });
  });

  it('refuses a stale expected version of a stream as the store does', async () => {
    const personId = randomUUID();
    const incidentId = randomUUID();
    await index.record(
      store,
      { type: 'arrest', on: on(personId), candidates: candidates([]) },
      rowsFor(personId, incidentId),
      recorded(incidentId),
      {},
    );
    await expect(
      index.record(
        store,
        { type: 'arrest', on: on(randomUUID()), candidates: candidates([]) },
        [],
        recorded(incidentId, 'no_stream'),
        {},
      ),
    ).rejects.toEqual(new StreamVersionConflictError(incidentStreamId(incidentId), 0, 1));
  });
});
