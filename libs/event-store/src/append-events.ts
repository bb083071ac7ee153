import type { Pool, PoolClient, QueryConfig } from 'pg';
import { withClient, type ClientLease } from '@vigil/platform';
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
  return withClient(pool, (client, lease) => appendEventsOn(client, appends, options, lease));
}

/**
 * appendEvents on a client the caller holds, inside a transaction of its own when it has begun one
 * (EventStore.transaction): the append then commits with whatever else that transaction writes.
 */
export function appendEventsOn<Answer = unknown>(
  client: PoolClient,
  appends: StreamAppend[],
  options: AppendOptions<Answer> = {},
  lease?: ClientLease,
): Promise<AppendResult<Answer>> {
  return appendThroughOn(
    client,
    (parameters) => ({
      name: 'vigil-append',
      text: 'SELECT vigil_append($1, $2, $3, $4, $5, $6) AS result',
      values: parameters,
    }),
    appends,
    options,
    lease,
  );
}

/**
 * The six parameters of vigil_append, in order: stream ids, expected versions, events, idempotency scopes
 * and keys, the answer to store. Their one home, for vigil_append itself and for a caller's SQL function
 * that calls it (appendEachThroughOn).
 */
export type AppendParameters = [string[], (number | null)[], string, string[], string[], string | null];

function appendParameters<Answer>(appends: StreamAppend[], options: AppendOptions<Answer>): AppendParameters {
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
  return [
    streams,
    appends.map((append) => expectedToSql(append.expected)),
    JSON.stringify(events),
    keys.map((key) => key.scope),
    keys.map((key) => key.key),
    options.answer === undefined ? null : JSON.stringify(options.answer),
  ];
}

/**
 * An append made by a statement of the caller's (`statement`, given vigil_append's parameters), whose one
 * row's `result` column is what vigil_append answered: a SQL function that does more in the same
 * statement and transaction (takes locks, checks what the decision read, writes rows of its own) and calls
 * vigil_append with these parameters. Errors are those of appendEvents: a version conflict throws
 * StreamVersionConflictError; any other error of the server is thrown as it came.
 */
export async function appendThroughOn<Answer = unknown>(
  client: PoolClient,
  statement: (parameters: AppendParameters) => QueryConfig,
  appends: StreamAppend[],
  options: AppendOptions<Answer> = {},
  lease?: ClientLease,
): Promise<AppendResult<Answer>> {
  const query = statement(appendParameters(appends, options));
  try {
    const { rows } = await client.query<{ result: AppendResult<Answer> }>(query);
    return rows[0].result;
  } catch (error) {
    const pgError = error as { code?: string; detail?: string };
    if (pgError.code === VERSION_CONFLICT && pgError.detail) {
      const { streamId, expected, actual } = JSON.parse(pgError.detail);
      throw new StreamVersionConflictError(streamId, expected, actual);
    }
    // Only an error the server answered with (it has a SQLSTATE) leaves the connection usable.
    if (!pgError.code) lease?.markBroken(error as Error);
    throw error;
  }
}

/** One append of a batch (appendEachThroughOn): its streams' events and its options. */
export interface BatchedAppend<Answer = unknown> {
  appends: StreamAppend[];
  options?: AppendOptions<Answer>;
}

/** How a batch function answers an append it refused: the error vigil_append would have raised for it alone. */
interface RefusedAppend {
  error: { code: string; message: string; detail?: { streamId: string; expected: number; actual: number } };
}

/** An append a batch refused, with the SQLSTATE it would have had alone (`code`), as a pg error carries it. */
export class AppendRefusedError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'AppendRefusedError';
  }
}

/**
 * Several appends made by one statement of the caller's (`statement`, given each append's vigil_append
 * parameters), in one transaction: group commit (docs/decisions/0029-reports-recorded-in-batches.md). The
 * statement's one row's `results` column is a JSON array with one answer per append, in order: what
 * vigil_append answered, or `{"error": {code, message, detail}}` for an append it refused without writing it
 * (a version conflict, as vigil_append_under_locks answers it, or a check of the caller's function). Each
 * append gets its own result or error (StreamVersionConflictError for VG409, AppendRefusedError with the code
 * otherwise); an error of the statement itself fails them all and is thrown.
 */
export async function appendEachThroughOn<Answer = unknown>(
  client: PoolClient,
  statement: (parameters: AppendParameters[]) => QueryConfig,
  batch: BatchedAppend<Answer>[],
  lease?: ClientLease,
): Promise<(AppendResult<Answer> | Error)[]> {
  const query = statement(batch.map(({ appends, options }) => appendParameters(appends, options ?? {})));
  let results: (AppendResult<Answer> | RefusedAppend)[];
  try {
    ({ results } = (await client.query<{ results: (AppendResult<Answer> | RefusedAppend)[] }>(query)).rows[0]);
  } catch (error) {
    if (!(error as { code?: string }).code) lease?.markBroken(error as Error);
    throw error;
  }
  return results.map((result) => {
    if (!('error' in result)) return result;
    const { code, message, detail } = result.error;
    if (code === VERSION_CONFLICT && detail) {
      return new StreamVersionConflictError(detail.streamId, detail.expected, detail.actual);
    }
    return new AppendRefusedError(message, code);
  });
}
