import type { Pool } from 'pg';
import { EventStore } from '@vigil/event-store';
import { createLogger, ErrorReporter, Metrics } from '@vigil/platform';
import { IncidentMatchIndex } from '../../apps/api/src/intake/incident-match-index';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The event store and the intake's IncidentMatchIndex on `pool`, as the intake has them (quiet, no metrics). */
export function incidentMatchIndexOn(pool: Pool): { store: EventStore; index: IncidentMatchIndex } {
  const store = new EventStore(pool, new Metrics(false), new ErrorReporter(createLogger('test', 'silent')));
  return { store, index: new IncidentMatchIndex(pool, store) };
}

/** A database of its own with the event store and the intake's IncidentMatchIndex on it. */
export interface IncidentMatchIndexUnderTest {
  db: TestDatabase;
  store: EventStore;
  index: IncidentMatchIndex;
  /** Lets the store's pending work end, then drops the database. */
  close(): Promise<void>;
}

export async function openIncidentMatchIndex(): Promise<IncidentMatchIndexUnderTest> {
  const db = await createTestDatabase();
  const { store, index } = incidentMatchIndexOn(db.pool);
  return {
    db,
    store,
    index,
    close: async () => {
      await store.drain();
      await db.drop();
    },
  };
}
