import { randomUUID } from 'node:crypto';
import { incidentStreamId, parsePartialDate, subjectStreamId } from '@vigil/domain';
import { StreamVersionConflictError, type AppendResult, type StreamAppend } from '@vigil/event-store';
import { createPgPool } from '@vigil/platform';
import { startTcpProxy } from '../../../../test/support/tcp-proxy';
import { incidentMatchIndexOn, openIncidentMatchIndex } from '../../../../test/support/incident-match-index';
import type { TestDatabase } from '../../../../test/support/test-database';
import { toProblem } from '../http/error-status.map';
import { candidatesMoved, IncidentMatchIndex, type Candidate } from './incident-match-index';

/** vigil_record_reports through IncidentMatchIndex.record: the lock, the check, the append and the rows. */
describe('IncidentMatchIndex.record', () => {
  let db: TestDatabase;
  let index: IncidentMatchIndex;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, index, close } = await openIncidentMatchIndex()));
  afterAll(() => close());

  const recorded = (incidentId: string, expected: StreamAppend['expected'] = 'no_stream'): StreamAppend[] => [
    {
      streamId: incidentStreamId(incidentId),
      expected,
      events: [{ type: 'ArrestRecorded', schemaVersion: 1, data: { incidentId, occurredOn: day } }],
    },
  ];
  const day = parsePartialDate('2020-06-21');
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
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
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
        { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
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
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([[first, 1]]) },
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
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
      rowsFor(personId, first),
      recorded(first),
      { idempotency: key, answer: { incidentId: first } },
    );
    const replayed = await index.record(
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([[first, 1]]) },
      rowsFor(personId, again),
      recorded(again),
      { idempotency: key, answer: { incidentId: again } },
    );
    expect(replayed).toMatchObject({ replayed: true, answer: { incidentId: first } });
    expect(await indexed(personId)).toEqual([first]);

    // A duplicate appends nothing, and still gets the answer a key of the report stored meanwhile.
    const duplicate = await index.record(
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([[first, 1]]) },
      [],
      [],
      { idempotency: key },
    );
    expect(duplicate).toMatchObject({ replayed: true, answer: { incidentId: first } });
    const unseen = await index.record(
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([[first, 1]]) },
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
      { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
      rowsFor(personId, incidentId),
      recorded(incidentId),
      {},
    );
    await expect(
      index.record(
        { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
        [],
        recorded(incidentId, 'no_stream'),
        {},
      ),
    ).rejects.toEqual(new StreamVersionConflictError(incidentStreamId(incidentId), 0, 1));
  });

  /**
   * Group commit (docs/decisions/0029-reports-recorded-in-batches.md): reports recorded in the same tick go in
   * one statement and one transaction, and each is answered apart.
   */
  describe('a batch', () => {
    /** A new incident naming a new person: the incident's stream and the person's, both new. */
    const newPersonReport = (incidentId: string, personId: string): StreamAppend[] => [
      ...recorded(incidentId),
      {
        streamId: subjectStreamId('person', personId),
        expected: 'no_stream',
        events: [{ type: 'PersonRegistered', schemaVersion: 1, data: { personId, incidentId } }],
      },
    ];
    const settle = <T>(promise: Promise<T>): Promise<T | Error> =>
      promise.then(
        (value) => value,
        (error: unknown) => error as Error,
      );
    const transactionOf = async (incidentId: string): Promise<string | undefined> =>
      (
        await db.pool.query<{ transaction_id: string }>(
          'SELECT transaction_id::text FROM events WHERE stream_id = $1',
          [incidentStreamId(incidentId)],
        )
      ).rows[0]?.transaction_id;

    it("refuses the second of two reports naming one new person (the first's incident moved its candidates), writing nothing of it, and records the rest together", async () => {
      const personId = randomUUID();
      const other = randomUUID();
      const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
      // All three decided before any was recorded: no candidates, the person not registered yet.
      const answers = await Promise.all([
        settle(
          index.record(
            { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
            rowsFor(personId, first),
            newPersonReport(first, personId),
            {},
          ),
        ),
        settle(
          index.record(
            { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
            rowsFor(personId, second),
            newPersonReport(second, personId),
            {},
          ),
        ),
        settle(
          index.record(
            { type: 'arrest', on: on(other), occurredOn: day, candidates: candidates([]) },
            rowsFor(other, third),
            newPersonReport(third, other),
            {},
          ),
        ),
      ]);
      expect(answers[0]).toMatchObject({ replayed: false });
      expect(candidatesMoved(answers[1])).toBe(true);
      expect(answers[2]).toMatchObject({ replayed: false });
      expect(await indexed(personId)).toEqual([first]);
      expect(await transactionOf(second)).toBeUndefined();
      // One statement, one transaction: the first and the third committed together.
      expect(await transactionOf(first)).toBe(await transactionOf(third));
    });

    it('answers a stale stream version of one report as its own conflict, seeing what the reports before it in the batch wrote', async () => {
      const personId = randomUUID();
      const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
      // Two types, so the candidates check passes: the person's stream is what they share.
      const answers = await Promise.all([
        settle(
          index.record(
            { type: 'arrest', on: on(personId), occurredOn: day, candidates: candidates([]) },
            rowsFor(personId, first),
            newPersonReport(first, personId),
            {},
          ),
        ),
        settle(
          index.record(
            { type: 'release', on: on(personId), occurredOn: day, candidates: candidates([]) },
            IncidentMatchIndex.rowsOf('release', second, [{ personId }], []),
            newPersonReport(second, personId),
            {},
          ),
        ),
        settle(
          index.record(
            { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
            [],
            recorded(third),
            {},
          ),
        ),
      ]);
      expect(answers[0]).toMatchObject({ replayed: false });
      expect(answers[1]).toEqual(new StreamVersionConflictError(subjectStreamId('person', personId), 0, 1));
      expect(answers[2]).toMatchObject({ replayed: false });
      expect(await transactionOf(second)).toBeUndefined();
      expect(await indexed(personId)).toEqual([first]);
      expect(await transactionOf(first)).toBe(await transactionOf(third));
    });

    it('answers a second delivery of one report id in the same batch with the first answer (a replay), not a failed batch', async () => {
      const reportKey = { scope: 'report:test', key: randomUUID() };
      const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
      const keys = (delivery: string) => [{ scope: 'webhook:test', key: delivery }, reportKey];
      const answers = await Promise.all([
        settle(
          index.record(
            { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
            [],
            recorded(first),
            {
              idempotency: keys(randomUUID()),
              answer: { incidentId: first },
            },
          ),
        ),
        settle(
          index.record(
            { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
            [],
            recorded(second),
            {
              idempotency: keys(randomUUID()),
              answer: { incidentId: second },
            },
          ),
        ),
        settle(
          index.record(
            { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
            [],
            recorded(third),
            {
              idempotency: { scope: 'report:test', key: randomUUID() },
              answer: { incidentId: third },
            },
          ),
        ),
      ]);
      expect(answers[0]).toMatchObject({ replayed: false, answer: { incidentId: first } });
      expect(answers[1]).toMatchObject({ replayed: true, matchedKey: 1, answer: { incidentId: first } });
      expect(answers[2]).toMatchObject({ replayed: false, answer: { incidentId: third } });
      expect(await transactionOf(second)).toBeUndefined();
      expect(await transactionOf(first)).toBe(await transactionOf(third));
    });

    it('records the others when one report makes the statement fail as a whole, each alone, and fails only that one', async () => {
      const [first, broken, third] = [randomUUID(), randomUUID(), randomUUID()];
      // An event without a type: the events table refuses it (NOT NULL), an error of the whole statement.
      const untyped: StreamAppend[] = [
        {
          streamId: incidentStreamId(broken),
          expected: 'no_stream',
          events: [{ schemaVersion: 1, data: {} } as StreamAppend['events'][number]],
        },
      ];
      const answers = await Promise.all(
        [recorded(first), untyped, recorded(third)].map((appends) =>
          settle(
            index.record(
              { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
              [],
              appends,
              {},
            ),
          ),
        ),
      );
      expect(answers[0]).toMatchObject({ replayed: false });
      expect(answers[1]).toMatchObject({ code: '23502' });
      expect(answers[2]).toMatchObject({ replayed: false });
      expect((answers[0] as AppendResult).positions).toHaveLength(1);
      expect(await transactionOf(broken)).toBeUndefined();
      expect(await transactionOf(first)).not.toBe(await transactionOf(third));
    });

    it('answers each report of a batch the database is cut from with the connection error itself (a 503, not a 500), and records each once when it is sent again', async () => {
      const postgres = await startTcpProxy(db.url);
      const pool = createPgPool(postgres.through(db.url), 4, 'vigil-test-cut').on('error', () => undefined);
      const { store: cutStore, index: cutIndex } = incidentMatchIndexOn(pool);
      try {
        const incidents = [randomUUID(), randomUUID(), randomUUID()];
        const keys = incidents.map(() => ({ scope: 'report:test', key: randomUUID() }));
        // Recorded in one tick: one batch, which fails as a whole, and then each report alone.
        const recordAll = () =>
          Promise.all(
            incidents.map((incidentId, i) =>
              settle(
                cutIndex.record(
                  { type: 'arrest', on: on(randomUUID()), occurredOn: day, candidates: candidates([]) },
                  [],
                  recorded(incidentId),
                  { idempotency: keys[i], answer: { incidentId } },
                ),
              ),
            ),
          );
        const before = await events();

        postgres.cut();
        const refused: unknown[] = await recordAll();
        for (const error of refused) {
          expect(toProblem(error)).toMatchObject({ status: 503, retryAfter: expect.any(Number) });
          expect(error).toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) });
          // The case at stake: a socket's error is made by Node itself, not in the realm of the code that
          // catches it (jest's VM here), so `instanceof Error` is false for it.
          expect(error).not.toBeInstanceOf(Error);
        }
        expect(await events()).toBe(before);

        // Sent again once the database is back (a partner retries a 503): each recorded once, then replayed.
        postgres.restore();
        const recordedAgain = await recordAll();
        expect(recordedAgain).toEqual(incidents.map(() => expect.objectContaining({ replayed: false })));
        const replayed = await recordAll();
        expect(replayed).toEqual(
          incidents.map((incidentId) => expect.objectContaining({ replayed: true, answer: { incidentId } })),
        );
        expect(await events()).toBe(before + incidents.length);
      } finally {
        await cutStore.drain();
        await pool.end();
        await postgres.close();
      }
    });
  });
});
