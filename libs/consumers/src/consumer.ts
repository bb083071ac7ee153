import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';

/**
 * A named, checkpointed reader of the log: projections and the alert router. The runner hands it the
 * events it handles, in log order, inside the transaction that also moves its checkpoint, so each event
 * counts exactly once however the worker dies.
 */
export interface Consumer {
  /** Stable: it names the checkpoint row and the leadership lock. */
  readonly name: string;
  /** The event types it reads; the checkpoint moves past the others too. */
  readonly handles: readonly string[];
  /**
   * False when applyBatch builds its rows in SQL from the log rows (by position): the runner then reads
   * only positions and types, and event data never makes a round trip through JavaScript.
   */
  readonly readsData?: boolean;
  /** Applies a batch (already filtered to `handles`) with set-based writes on `tx`. */
  applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void>;
  /** Work that must follow the commit, such as enqueueing jobs (a failure here loses nothing: see the sweeper). */
  afterCommit?(events: RecordedEvent[]): Promise<void>;
}

/** A consumer whose state lives only in its own tables, so it can be cleared and rebuilt from the log. */
export interface Projection extends Consumer {
  /** The tables it owns, emptied in the rebuild transaction. */
  readonly tables: readonly string[];
}
