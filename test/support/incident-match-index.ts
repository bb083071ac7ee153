import { EventStore } from '@vigil/event-store';
import { createLogger, ErrorReporter, Metrics } from '@vigil/platform';
import { IncidentMatchIndex } from '../../apps/api/src/intake/incident-match-index';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A database of its own with the event store and the intake's IncidentMatchIndex on it, as the intake has them. */
export interface IncidentMatchIndexUnderTest {
  db: TestDatabase;
  store: EventStore;
  index: IncidentMatchIndex;
  /** Lets the store's pending work end, then drops the database. */
  close(): Promise<void>;
}

export async function openIncidentMatchIndex(): Promise<IncidentMatchIndexUnderTest> {
  const db = await createTestDatabase();
  const store = new EventStore(db.pool, new Metrics(false), new ErrorReporter(createLogger('test', 'silent')));
  return {
    db,
    store,
    index: new IncidentMatchIndex(db.pool, store),
    close: async () => {
      await store.drain();
      await db.drop();
    },
  };
}
