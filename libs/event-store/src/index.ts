export { AppendRefusedError, appendEvents } from './append-events';
export type { AppendOptions, AppendParameters, BatchedAppend } from './append-events';
export { START_OF_LOG } from './event.types';
export type {
  AppendResult,
  Checkpoint,
  EventMetadata,
  ExpectedVersion,
  IdempotencyKey,
  NewEvent,
  RecordedEvent,
  StreamAppend,
} from './event.types';
export { EventStore } from './event-store';
export type { StoreTransaction } from './event-store';
export { EventStoreModule } from './event-store.module';
export { assertLogNotFromTheFuture, LogFromTheFutureError } from './log-horizon-guard';
export { LogListener } from './log-listener';
export type { LogListenerOptions } from './log-listener';
export { wakeLogReaders } from './log-notifier';
export { LOG_CHANNEL, LogNotifier } from './log-notifier';
export { readAppendsRest, readEventsAfter, readStream, readStreams } from './read-events';
export type { LogBatch } from './read-events';
export { checkpointAfterAppendAt, eventsHeldBehindHorizon, hasReached, headPosition, lagAfter } from './read-events';
export { StreamVersionConflictError } from './stream-version-conflict.error';
