/** Who and what caused an event: passed explicitly, never read from an ambient request context. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** 'admin', 'source:<id>', 'system:<component>' … */
  actor?: string;
  /** The partner or channel the report came through. */
  source?: string;
  [key: string]: unknown;
}

export interface NewEvent<Data = unknown> {
  type: string;
  schemaVersion: number;
  data: Data;
  metadata?: EventMetadata;
}

export interface RecordedEvent<Data = unknown> {
  position: number;
  streamId: string;
  /** The event's place in its stream: 1 for the first. */
  streamVersion: number;
  type: string;
  /** The version of the event type's shape, for upcasting (see NewEvent). */
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
  transactionId: string;
}

/** `no_stream`: the stream must not exist yet; `any`: no check; a number: the stream's current version. */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
}

export interface IdempotencyKey {
  scope: string;
  key: string;
}

export interface AppendResult<Answer = unknown> {
  /** True when the idempotency key was seen before: nothing was appended and this is the first answer. */
  replayed: boolean;
  /** On a replay, the index of the idempotency key that was already known. */
  matchedKey?: number;
  transactionId: string;
  positions: number[];
  streams: { streamId: string; version: number }[];
  /** Whatever the caller stored with the idempotency key. */
  answer?: Answer;
}

/**
 * Where a consumer stands in the log: the last (transaction id, position) it has processed.
 * Positions alone are not monotonic in commit order; the pair is.
 */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const START_OF_LOG: Checkpoint = Object.freeze({ transactionId: '0', position: 0 });
