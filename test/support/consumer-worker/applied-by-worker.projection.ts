import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';

/** The table the workers write into: one row per applied event, naming the worker process that applied it. */
export const APPLIED_BY_WORKER_TABLE = `
  CREATE TABLE applied (
    position    bigint      PRIMARY KEY,
    tx          xid8        NOT NULL,
    worker      integer     NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT clock_timestamp()
  )`;

export interface AppliedByWorkerOptions {
  /**
   * Held inside each batch's transaction before it writes, so a SIGKILL is likely to land in the middle of a
   * batch; before the first write, so that the pause holds no transaction id (and no other reader back).
   */
  applyDelayMs?: number;
  /** Kill the whole process (SIGKILL, as the OOM killer would) when a batch holds an event with data.poison. */
  crashOnPoison?: boolean;
}

/** Handles 'T' and records each event once: a second application breaks the primary key. */
export function appliedByWorkerProjection(
  name: string,
  worker: number,
  options: AppliedByWorkerOptions = {},
): Projection {
  return {
    name,
    handles: ['T'],
    tables: ['applied'],
    async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
      if (options.applyDelayMs) await tx.query('SELECT pg_sleep($1)', [options.applyDelayMs / 1000]);
      await tx.query(
        'INSERT INTO applied (position, tx, worker) SELECT p, t::xid8, $3 FROM unnest($1::bigint[], $2::text[]) AS u(p, t)',
        [events.map((event) => event.position), events.map((event) => event.transactionId), worker],
      );
      if (options.crashOnPoison && events.some((event) => (event.data as { poison?: boolean }).poison === true)) {
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => undefined); // the signal is on its way: never return
      }
    },
  };
}
