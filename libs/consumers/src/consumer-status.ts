import type { Pool } from 'pg';
import {
  eventsHeldBehindHorizon,
  hasReached,
  headPosition,
  lagAfter,
  START_OF_LOG,
  type Checkpoint,
} from '@vigil/event-store';
import { loadCheckpoints } from './consumer-checkpoints';

export interface ConsumerStatusReport {
  name: string;
  position: number;
  lag: number;
  oldestUnprocessedAgeMs: number;
  status: 'running' | 'catching_up' | 'stalled' | 'failed' | 'rebuilding';
  lastError: string | null;
  /** Given only when a status is asked about an append (`after`): whether the consumer has applied all of it. */
  passed?: boolean;
}

export interface HorizonHolder {
  pid: number;
  database: string;
  application: string;
  state: string;
  transactionAgeMs: number;
}

export interface LogStatus {
  headPosition: number;
  consumers: ConsumerStatusReport[];
  /** The oldest open writing transaction, when committed events wait behind it. */
  horizonHeldBy: HorizonHolder | null;
}

/** Lag past this many events, or this old, counts as catching up rather than running. */
const CATCHING_UP_EVENTS = 1_000;
const CATCHING_UP_AGE_MS = 5_000;

/**
 * Each consumer's checkpoint and lag. Lag is the number of committed events after the checkpoint in
 * (transaction id, position) order, not head minus position: positions do not follow commit order. With
 * `after` (checkpointAfterAppendAt of a position an answer gave), each consumer also says whether it has
 * `passed` that append, compared in the same order: how a client reads its own writes.
 */
export async function readLogStatus(pool: Pool, names: string[], after?: Checkpoint): Promise<LogStatus> {
  return {
    headPosition: await headPosition(pool),
    consumers: await readConsumerStatus(pool, names, after),
    horizonHeldBy: await horizonHolder(pool),
  };
}

/** Each named consumer's checkpoint, lag and status, without the log-wide figures (for the lag gauge). */
export async function readConsumerStatus(
  pool: Pool,
  names: string[],
  after?: Checkpoint,
): Promise<ConsumerStatusReport[]> {
  const rows = new Map((await loadCheckpoints(pool)).map((row) => [row.name, row]));
  const consumers: ConsumerStatusReport[] = [];
  for (const name of names) {
    const row = rows.get(name);
    const checkpoint = row?.checkpoint ?? START_OF_LOG;
    const { events: lag, oldest } = await lagAfter(pool, checkpoint);
    const ageMs = oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0;
    const stored = row?.status ?? 'running';
    const status =
      stored !== 'running'
        ? stored
        : lag >= CATCHING_UP_EVENTS || ageMs >= CATCHING_UP_AGE_MS
          ? 'catching_up'
          : 'running';
    consumers.push({
      name,
      position: checkpoint.position,
      lag,
      oldestUnprocessedAgeMs: ageMs,
      status,
      lastError: row?.lastError ?? null,
      ...(after ? { passed: hasReached(checkpoint, after) } : {}),
    });
  }
  return consumers;
}

/** The oldest open writing transaction in the cluster, when committed events wait for it. */
async function horizonHolder(pool: Pool): Promise<HorizonHolder | null> {
  if (!(await eventsHeldBehindHorizon(pool))) return null;
  const { rows } = await pool.query<{
    pid: number;
    datname: string;
    application_name: string;
    state: string;
    age_ms: number;
  }>(
    `SELECT a.pid, a.datname, a.application_name, a.state,
            (extract(epoch FROM now() - a.xact_start) * 1000)::int AS age_ms
       FROM pg_stat_activity a
      WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
      ORDER BY age(a.backend_xid) DESC LIMIT 1`,
  );
  const row = rows[0];
  return row
    ? {
        pid: row.pid,
        database: row.datname,
        application: row.application_name,
        state: row.state,
        transactionAgeMs: row.age_ms,
      }
    : null;
}
