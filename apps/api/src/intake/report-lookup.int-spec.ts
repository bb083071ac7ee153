import { randomUUID } from 'node:crypto';
import { personStreamId } from '@vigil/domain';
import { appendEvents } from '@vigil/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ReportLookups, slotOf } from './report-lookup';

/** Concurrent lookups share one statement; each report still gets only what is its own. */
describe('ReportLookups', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('answers each report of a shared statement with its own stored answer, owners and streams', async () => {
    const [known, other] = [randomUUID(), randomUUID()];
    await db.pool.query(`INSERT INTO subject_name_keys (subject, key, subject_id) VALUES ('person', 'known', $1)`, [
      known,
    ]);
    await appendEvents(db.pool, [
      {
        streamId: personStreamId(known),
        expected: 'no_stream',
        events: [
          { type: 'PersonRegistered', schemaVersion: 1, data: { personId: known, name: 'Known', key: 'known' } },
        ],
      },
    ]);
    await db.pool.query(`INSERT INTO idempotency_keys (scope, key, answer) VALUES ('report:s', 'seen', $1)`, [
      JSON.stringify({ replayed: false, positions: [7], answer: { incidentId: 'first' } }),
    ]);
    const lookups = new ReportLookups(db.pool);
    let statements = 0;
    const query = db.pool.query.bind(db.pool);
    db.pool.query = ((...args: Parameters<typeof query>) => {
      statements++;
      return query(...args);
    }) as typeof db.pool.query;
    try {
      const [replay, named, byId] = await Promise.all([
        lookups.read(
          [
            { scope: 'webhook:s', key: 'new' },
            { scope: 'report:s', key: 'seen' },
          ],
          [{ subject: 'person', key: 'known' }],
          [],
        ),
        lookups.read(
          [{ scope: 'report:s', key: 'unseen' }],
          [
            { subject: 'person', key: 'known' },
            { subject: 'person', key: 'nobody' },
          ],
          [],
        ),
        lookups.read([], [], [personStreamId(other), personStreamId(known)]),
      ]);
      expect(statements).toBe(1);
      expect(replay).toMatchObject({ replayed: { replayed: true, matchedKey: 1, answer: { incidentId: 'first' } } });
      expect(replay.owners.size).toBe(0);
      expect(named.replayed).toBeUndefined();
      expect([...named.owners]).toEqual([[slotOf('person', 'known'), known]]);
      expect([...named.streams.keys()]).toEqual([personStreamId(known)]);
      expect(named.streams.get(personStreamId(known))).toEqual([
        { type: 'PersonRegistered', schemaVersion: 1, data: { personId: known, name: 'Known', key: 'known' } },
      ]);
      expect(byId.owners.size).toBe(0);
      expect(byId.streams.get(personStreamId(other))).toEqual([]);
      expect(byId.streams.get(personStreamId(known))).toHaveLength(1);
    } finally {
      db.pool.query = query;
    }
  });
});
