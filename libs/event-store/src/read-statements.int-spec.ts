import { namedStatementsSentBy, readWholeByGenericPlan } from '../../../test/support/generic-plan';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { START_OF_LOG } from './event.types';
import { readAppendsRest, readEventsAfter, readStreams } from './read-events';

/**
 * Consumers and intake read the log through named statements, planned once per connection: made on a
 * young log, a plan that reads the events table whole would stay while the log grows.
 */
describe('event store reads on a new database', () => {
  let db: TestDatabase;
  let named: Map<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    named = await namedStatementsSentBy(db.pool, async (pool) => {
      await readEventsAfter(pool, START_OF_LOG, 10);
      await readEventsAfter(pool, START_OF_LOG, 10, false);
      await readStreams(pool, ['person-a', 'organization-b']);
      await readAppendsRest(pool, '1000', [{ streamId: 'incident-a', afterVersion: 2 }]);
    });
  });
  afterAll(() => db.drop());

  it.each(['vigil-read-log', 'vigil-read-log-headers', 'vigil-read-streams', 'vigil-read-appends-rest'])(
    '%s reads no table or index whole under a generic plan',
    async (name) => {
      expect(named.has(name)).toBe(true);
      expect(await readWholeByGenericPlan(db.pool, named.get(name)!)).toEqual([]);
    },
  );
});
