import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ErrorReporter, inTransaction, Metrics, PG_POOL } from '@vigil/platform';
import { appendEvents, appendEventsOn, type AppendOptions } from './append-events';
import type { AppendResult, Checkpoint, RecordedEvent, StreamAppend } from './event.types';
import { LogNotifier } from './log-notifier';
import { checkpointBeforePosition, readEventsAfter, readStream, readStreams, type LogBatch } from './read-events';

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
   * An append that commits together with changes to the write side's own tables (the name keys a merge
   * repoints), in one transaction: `prepare` reads and locks (it must write nothing: vigil_append has to be
   * the transaction's first write, decision 0001), the events are appended, then `afterAppend` writes. A stream
   * version conflict, or an error of `afterAppend`, rolls back everything (StreamVersionConflictError, as append).
   */
  async appendWith<T>(
    prepare: (client: PoolClient) => Promise<{
      appends: StreamAppend[];
      result: T;
      afterAppend?: (client: PoolClient) => Promise<void>;
    }>,
  ): Promise<T> {
    const { appends, result } = await inTransaction(this.pool, async (client) => {
      const prepared = await prepare(client);
      if (prepared.appends.length) await appendEventsOn(client, prepared.appends);
      await prepared.afterAppend?.(client);
      return prepared;
    });
    if (appends.length) this.appended(appends);
    return result;
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

  /** Waits for the last coalesced NOTIFY, so the pool can close without a query in flight. */
  drain(): Promise<void> {
    return this.notifier.drain();
  }
}
