import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { ErrorReporter, inTransaction, Metrics, PG_POOL, withClient } from '@vigil/platform';
import {
  appendEvents,
  appendEventsOn,
  appendEachThroughOn,
  type AppendOptions,
  type BatchedAppend,
  type AppendParameters,
} from './append-events';
import type { AppendResult, Checkpoint, RecordedEvent, StreamAppend } from './event.types';
import { LogNotifier } from './log-notifier';
import {
  checkpointAfterAppendAt,
  checkpointBeforePosition,
  readEventsAfter,
  readStream,
  readStreams,
  type LogBatch,
} from './read-events';

/**
 * A transaction that may append: `client` runs the caller's own statements (locks, reads, rows of a
 * write-side table that must commit with the events), `append` appends on it.
 */
export interface StoreTransaction {
  readonly client: PoolClient;
  append<Answer = unknown>(appends: StreamAppend[], options?: AppendOptions<Answer>): Promise<AppendResult<Answer>>;
}

/** The event store of one process: appends (then wakes readers), stream reads and catch-up reads. */
@Injectable()
export class EventStore {
  private readonly notifier: LogNotifier;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly metrics: Metrics,
    errors: ErrorReporter,
  ) {
    this.notifier = new LogNotifier(pool, (error) => errors.report('log-notifier', error));
  }

  async append<Answer = unknown>(
    appends: StreamAppend[],
    options?: AppendOptions<Answer>,
  ): Promise<AppendResult<Answer>> {
    const result = await appendEvents(this.pool, appends, options);
    if (!result.replayed) this.appended(appends);
    return result;
  }

  /**
   * Several appends in one statement and one transaction, by a SQL function of the caller's that makes each
   * as vigil_append would alone and does more around it (takes locks and checks before its first write, writes
   * rows of its own after), answering each apart (group commit, docs/decisions/0029-reports-recorded-in-batches.md):
   * one result or error per append, in order (appendEachThroughOn). Readers are woken once, after the commit.
   */
  async appendEachThrough<Answer = unknown>(
    statement: (parameters: AppendParameters[]) => QueryConfig,
    batch: BatchedAppend<Answer>[],
  ): Promise<(AppendResult<Answer> | Error)[]> {
    const results = await withClient(this.pool, (client, lease) =>
      appendEachThroughOn<Answer>(client, statement, batch, lease),
    );
    const appended = batch.filter(
      ({ appends }, i) => appends.length && !(results[i] instanceof Error) && !(results[i] as AppendResult).replayed,
    );
    if (appended.length) this.appended(appended.flatMap(({ appends }) => appends));
    return results;
  }

  /**
   * Runs `work` in one transaction, for an append that must be decided and written under locks or
   * together with rows of the caller's own write-side table (the intake's match index). Readers are
   * woken once it commits. A version conflict aborts the whole transaction (StreamVersionConflictError).
   */
  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const appended: StreamAppend[][] = [];
    const result = await inTransaction(this.pool, (client) =>
      work({
        client,
        append: async <Answer>(appends: StreamAppend[], options?: AppendOptions<Answer>) => {
          const outcome = await appendEventsOn<Answer>(client, appends, options);
          if (!outcome.replayed) appended.push(appends);
          return outcome;
        },
      }),
    );
    for (const appends of appended) this.appended(appends);
    return result;
  }

  /**
   * An append that commits together with changes to the write side's own tables (the name keys a merge
   * repoints): `prepare` reads and locks (it must write nothing: vigil_append has to be the transaction's
   * first write, decision 0001), the events are appended, then `afterAppend` writes. One transaction
   * (`transaction` above): a version conflict, or an error of `afterAppend`, rolls back everything. Answers
   * `prepare`'s result and the position of the first event appended (none when `appends` was empty).
   */
  appendWith<T>(
    prepare: (client: PoolClient) => Promise<{
      appends: StreamAppend[];
      result: T;
      afterAppend?: (client: PoolClient) => Promise<void>;
    }>,
  ): Promise<{ result: T; position?: number }> {
    return this.transaction(async (tx) => {
      const prepared = await prepare(tx.client);
      const appended = prepared.appends.length ? await tx.append(prepared.appends) : undefined;
      await prepared.afterAppend?.(tx.client);
      return { result: prepared.result, position: appended?.positions[0] };
    });
  }

  private appended(appends: StreamAppend[]): void {
    for (const append of appends) {
      for (const event of append.events) this.metrics.eventsAppended.inc({ type: event.type });
    }
    this.notifier.notifyAppended();
  }

  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]> {
    return readStream(this.pool, streamId, fromVersion);
  }

  readStreams(streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
    return readStreams(this.pool, streamIds);
  }

  readAfter(after: Checkpoint, limit: number, client?: PoolClient): Promise<LogBatch> {
    return readEventsAfter(client ?? this.pool, after, limit);
  }

  /** Where readAfter must start to meet every event above a position (see checkpointBeforePosition). */
  checkpointBefore(position: number): Promise<Checkpoint> {
    return checkpointBeforePosition(this.pool, position);
  }

  /** Where a reader stands once it has applied the append that wrote `position` (see checkpointAfterAppendAt). */
  checkpointAfterAppendAt(position: number): Promise<Checkpoint | undefined> {
    return checkpointAfterAppendAt(this.pool, position);
  }

  /** Waits for the last coalesced NOTIFY, so the pool can close without a query in flight. */
  drain(): Promise<void> {
    return this.notifier.drain();
  }
}
