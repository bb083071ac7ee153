import type { Pool, PoolClient } from 'pg';
import { withClient } from '@vigil/platform';
import type { AppendResult, IdempotencyKey, StreamAppend } from './event.types';
import { StreamVersionConflictError } from './stream-version-conflict.error';

const VERSION_CONFLICT = 'VG409';

export interface AppendOptions<Answer> {
  /**
   * Appends nothing when a key was used before, and returns the answer stored then (`matchedKey` says
   * which). Several keys may guard one append: the answer is stored under each.
   */
  idempotency?: IdempotencyKey | IdempotencyKey[];
  /** Stored with the idempotency key in the same transaction, returned on every replay. */
  answer?: Answer;
}

function expectedToSql(expected: StreamAppend['expected']): number | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  return expected;
}

/**
 * Appends to one or several streams atomically, in one round trip (the vigil_append function of the
 * CreateEventStore migration holds the ordering rules). Throws StreamVersionConflictError on a mismatch.
 */
export async function appendEvents<Answer = unknown>(
  pool: Pool,
  appends: StreamAppend[],
  options: AppendOptions<Answer> = {},
): Promise<AppendResult<Answer>> {
  // A checked-out client rather than pool.query: pg-pool destroys the connection of any failed query,
  // and a version conflict is an expected answer that leaves the connection healthy.
  return withClient(pool, async (client, lease) => {
    try {
      return await appendEventsOn(client, appends, options);
    } catch (error) {
      // Only an error the server answered with (it has a SQLSTATE) leaves the connection usable.
      if (!(error as { code?: string }).code && !(error instanceof StreamVersionConflictError)) {
        lease.markBroken(error as Error);
      }
      throw error;
    }
  });
}

/**
 * The same append on a client the caller holds: inside the caller's transaction, so that what the caller
 * wrote to its own tables commits with the events or not at all (see EventStore.appendWith).
 */
export async function appendEventsOn<Answer = unknown>(
  client: PoolClient,
  appends: StreamAppend[],
  options: AppendOptions<Answer> = {},
): Promise<AppendResult<Answer>> {
  const streams = appends.map((append) => append.streamId);
  if (new Set(streams).size !== streams.length) throw new Error('each stream may appear once in an append');
  if (appends.some((append) => append.events.length === 0)) throw new Error('every stream append needs events');
  const events = appends.flatMap((append, index) =>
    append.events.map((event) => ({
      stream: index + 1,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata ?? {},
    })),
  );
  const keys = options.idempotency === undefined ? [] : [options.idempotency].flat();
  try {
    const { rows } = await client.query<{ result: AppendResult<Answer> }>({
      name: 'vigil-append',
      text: 'SELECT vigil_append($1, $2, $3, $4, $5, $6) AS result',
      values: [
        streams,
        appends.map((append) => expectedToSql(append.expected)),
        JSON.stringify(events),
        keys.map((key) => key.scope),
        keys.map((key) => key.key),
        options.answer === undefined ? null : JSON.stringify(options.answer),
      ],
    });
    return rows[0].result;
  } catch (error) {
    const pgError = error as { code?: string; detail?: string };
    if (pgError.code === VERSION_CONFLICT && pgError.detail) {
      const { streamId, expected, actual } = JSON.parse(pgError.detail);
      throw new StreamVersionConflictError(streamId, expected, actual);
    }
    throw error;
  }
}
