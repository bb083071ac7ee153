import type { Pool, PoolClient } from 'pg';
import type { Checkpoint, RecordedEvent } from './event.types';

type Queryable = Pool | PoolClient;

const COLUMNS = `position, stream_id, version, type, schema_version, data, metadata, recorded_at, transaction_id::text AS transaction_text`;

/** Everything but the data and metadata, for readers that work on the log rows in SQL. */
const HEADER_COLUMNS = `position, stream_id, version, type, schema_version, NULL::jsonb AS data, '{}'::jsonb AS metadata, recorded_at,
  transaction_id::text AS transaction_text`;

interface EventRow {
  position: number;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
  transaction_text: string;
}

function toEvent(row: EventRow): RecordedEvent {
  return {
    position: row.position,
    streamId: row.stream_id,
    streamVersion: row.version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    transactionId: row.transaction_text,
  };
}

export interface LogBatch {
  events: RecordedEvent[];
  /** Where the next read starts: the last event's checkpoint, or the one given when the batch is empty. */
  checkpoint: Checkpoint;
}

/**
 * The next events after a checkpoint, in (transaction id, position) order, and only from transactions
 * below the snapshot's xmin: every one of those has committed or rolled back, so no event can later appear
 * behind the returned checkpoint. Rows above xmin wait for the oldest open transaction in the cluster.
 * Inside a consumer's transaction this must be the first statement: its own transaction id, once drawn,
 * would hold the horizon at itself.
 */
export async function readEventsAfter(
  db: Queryable,
  after: Checkpoint,
  limit: number,
  withData = true,
): Promise<LogBatch> {
  const { rows } = await db.query<EventRow>({
    name: withData ? 'vigil-read-log' : 'vigil-read-log-headers',
    text: `SELECT ${withData ? COLUMNS : HEADER_COLUMNS} FROM events
            WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY transaction_id, position
            LIMIT $3`,
    values: [after.transactionId, after.position, limit],
  });
  const events = rows.map(toEvent);
  const last = events.at(-1);
  return { events, checkpoint: last ? { transactionId: last.transactionId, position: last.position } : after };
}

/** A reader's lag behind the log: the committed events after its checkpoint in reading order, and the oldest's age. */
export async function lagAfter(db: Queryable, after: Checkpoint): Promise<{ events: number; oldest: Date | null }> {
  const { rows } = await db.query<{ events: number; oldest: Date | null }>(
    `SELECT count(*)::int AS events, min(recorded_at) AS oldest FROM events
      WHERE (transaction_id, position) > ($1::xid8, $2::bigint)`,
    [after.transactionId, after.position],
  );
  return rows[0];
}

/**
 * Where a reader stands once it has applied the append that wrote the event at `position`: that append's
 * transaction and its last event. By the reading rule a reader at or after this pair (`hasReached`) has applied
 * the whole append, whatever order concurrent appends committed in; its position alone could be above
 * `position` while the append is still ahead of it (docs/architecture.md, "Read your writes"). Undefined when no
 * committed event has this position. Two probes: the primary key, then (transaction_id, position).
 */
export async function checkpointAfterAppendAt(db: Queryable, position: number): Promise<Checkpoint | undefined> {
  const { rows } = await db.query<{ transaction_text: string; position: number }>({
    name: 'vigil-checkpoint-after-append-at',
    text: `SELECT e.transaction_id::text AS transaction_text,
                  (SELECT max(o.position) FROM events o WHERE o.transaction_id = e.transaction_id) AS position
             FROM events e WHERE e.position = $1`,
    values: [position],
  });
  return rows[0] && { transactionId: rows[0].transaction_text, position: rows[0].position };
}

/** Whether a reader at `checkpoint` has read as far as `target`, in the reading rule's (transaction id, position) order. */
export function hasReached(checkpoint: Checkpoint, target: Checkpoint): boolean {
  const [at, to] = [BigInt(checkpoint.transactionId), BigInt(target.transactionId)];
  return at > to || (at === to && Number(checkpoint.position) >= Number(target.position));
}

/** The highest position of a committed event; 0 for an empty log. */
export async function headPosition(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ head: number | null }>('SELECT max(position) AS head FROM events');
  return rows[0].head ?? 0;
}

/** True when committed events wait for an open transaction: at or above the snapshot's xmin, no reader sees them yet. */
export async function eventsHeldBehindHorizon(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS held',
  );
  return rows[0].held;
}

/** One stream's events in version order, from a version on (1 = the first event). */
export async function readStream(db: Queryable, streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
    [streamId, fromVersion],
  );
  return rows.map(toEvent);
}

/**
 * The rest of appends a batch of the log ended inside: of each stream, the events after `afterVersion`
 * written by transaction `transactionId` (one append per stream and transaction), grouped by stream in
 * version order. One round trip for all of them, a probe of each stream's index from its version on.
 */
export async function readAppendsRest(
  db: Queryable,
  transactionId: string,
  streams: { streamId: string; afterVersion: number }[],
): Promise<Map<string, RecordedEvent[]>> {
  const rest = new Map<string, RecordedEvent[]>(streams.map(({ streamId }) => [streamId, []]));
  if (!streams.length) return rest;
  const { rows } = await db.query<EventRow>({
    name: 'vigil-read-appends-rest',
    text: `SELECT ${COLUMNS} FROM unnest($1::text[], $2::bigint[]) AS s(id, after)
             CROSS JOIN LATERAL (SELECT * FROM events e
                                  WHERE e.stream_id = s.id AND e.version > s.after AND e.transaction_id = $3::xid8
                                  ORDER BY e.version) e
            ORDER BY stream_id, version`,
    values: [streams.map((s) => s.streamId), streams.map((s) => s.afterVersion), transactionId],
  });
  for (const row of rows) rest.get(row.stream_id)!.push(toEvent(row));
  return rest;
}

/** Several streams' events at once (one round trip), grouped by stream in version order. */
export async function readStreams(db: Queryable, streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
  if (!streamIds.length) return streams;
  const { rows } = await db.query<EventRow>({
    name: 'vigil-read-streams',
    // A LATERAL probe per stream: a plan cached while the log was small would otherwise scan it whole.
    text: `SELECT ${COLUMNS} FROM unnest($1::text[]) AS s(id)
             CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.stream_id = s.id ORDER BY version) e
            ORDER BY stream_id, version`,
    values: [streamIds],
  });
  for (const row of rows) streams.get(row.stream_id)!.push(toEvent(row));
  return streams;
}

/**
 * Where to start reading (by readEventsAfter's rule) to meet every event whose position is above
 * `position`, for a reader that knows a position rather than a checkpoint. Positions are drawn in insertion
 * order, not in commit order, so an event above the position may come before one below it in
 * (transaction id, position) order. The start is therefore just before the first event above `position`
 * in that order among those readable now; when none is, it is the snapshot's xmin itself: every event
 * above `position` then belongs to a transaction at or above it. Reading on from there meets every event
 * above `position` exactly once, whenever its transaction commits, and also the events at or below it that
 * follow the start in reading order (those whose transactions committed late: a reader by position skipped them).
 * It costs a scan of the events above `position` or of the log up to the first of them, whichever the
 * planner finds shorter: fine for a jump, not for a consumer's every read.
 */
export async function checkpointBeforePosition(db: Queryable, position: number): Promise<Checkpoint> {
  const { rows } = await db.query<{ transaction_text: string; position: number }>(
    `SELECT coalesce(first.transaction_id, horizon.xmin)::text AS transaction_text,
            coalesce(first.position - 1, 0) AS position
       FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) horizon
       LEFT JOIN LATERAL (
         SELECT transaction_id, position FROM events
          WHERE position > $1 AND transaction_id < horizon.xmin
          ORDER BY transaction_id, position LIMIT 1
       ) first ON true`,
    [position],
  );
  return { transactionId: rows[0].transaction_text, position: rows[0].position };
}
