import type { PoolClient } from 'pg';
import {
  appendEvents,
  LogNotifier,
  readEventsAfter,
  START_OF_LOG,
  type Checkpoint,
  type NewEvent,
  type RecordedEvent,
} from '@vigil/event-store';
import { createLogger } from '@vigil/platform';
import { waitUntilCaughtUp } from '../../../test/support/caught-up';
import { ConsumerWorker } from '../../../test/support/consumer-worker/spawn-consumer-worker';
import { APPLIED_BY_WORKER_TABLE } from '../../../test/support/consumer-worker/applied-by-worker.projection';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import type { Projection } from './consumer';
import { ConsumerRunner, type ConsumerRunnerOptions } from './consumer-runner';
import { readLogStatus } from './consumer-status';
import { rebuildProjection } from './rebuild-projection';

const logger = createLogger('test', 'silent');

interface Call {
  events: RecordedEvent[];
  /** consumer_checkpoints.attempts as another connection saw it while the batch was being applied. */
  attempts: number;
}

interface TestProjection extends Projection {
  calls: Call[];
}

interface ProjectionHooks {
  /** Runs on the batch's transaction after the rows are written; throw to fail the batch. */
  afterWrite?: (events: RecordedEvent[], tx: PoolClient) => Promise<void>;
  /** Runs before anything is written. */
  beforeWrite?: (events: RecordedEvent[], tx: PoolClient) => Promise<void>;
}

const t = (n: number, extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'T',
  schemaVersion: 1,
  data: { n, ...extra },
});
const u = (n: number): NewEvent => ({ type: 'U', schemaVersion: 1, data: { n } });
const logOrder = (a: RecordedEvent, b: RecordedEvent) =>
  BigInt(a.transactionId) === BigInt(b.transactionId)
    ? a.position - b.position
    : BigInt(a.transactionId) < BigInt(b.transactionId)
      ? -1
      : 1;

describe(ConsumerRunner.name, () => {
  let db: TestDatabase;
  const runners: ConsumerRunner[] = [];
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await ConsumerWorker.reapAll();
    await db.drop();
  });

  /** A projection of 'T' events into `table (position bigint PRIMARY KEY, n int)`: a second application breaks the key. */
  async function tableProjection(name: string, table: string, hooks: ProjectionHooks = {}): Promise<TestProjection> {
    await db.pool.query(`CREATE TABLE ${table} (position bigint PRIMARY KEY, n int)`);
    const calls: Call[] = [];
    return {
      name,
      handles: ['T'],
      tables: [table],
      calls,
      async applyBatch(events, tx) {
        const { rows } = await db.pool.query<{ attempts: number }>(
          'SELECT attempts FROM consumer_checkpoints WHERE name = $1',
          [name],
        );
        calls.push({ events, attempts: rows[0]?.attempts ?? 0 });
        await hooks.beforeWrite?.(events, tx);
        await tx.query(`INSERT INTO ${table} (position, n) SELECT * FROM unnest($1::bigint[], $2::int[])`, [
          events.map((event) => event.position),
          events.map((event) => (event.data as { n: number }).n),
        ]);
        await hooks.afterWrite?.(events, tx);
      },
    };
  }

  async function startRunner(
    projection: Projection,
    options: Partial<ConsumerRunnerOptions> = {},
  ): Promise<ConsumerRunner> {
    const runner = new ConsumerRunner(db.pool, projection, {
      databaseUrl: db.url,
      logger,
      pollIntervalMs: 50,
      lockIntervalMs: 100,
      ...options,
    });
    runners.push(runner);
    await runner.start();
    return runner;
  }

  const append = (streamId: string, events: NewEvent[]) =>
    appendEvents(db.pool, [{ streamId, expected: 'any', events }]);

  /** The last event of the log in (transaction id, position) order: where a caught-up checkpoint stands. */
  async function endOfLog(): Promise<Checkpoint> {
    // Ordered by the xid8 column, not by its text (an output column of the same name would win): '999' > '1062'.
    const { rows } = await db.pool.query<{ transaction_id: string; position: number }>(
      'SELECT e.transaction_id::text, e.position FROM events e ORDER BY e.transaction_id DESC, e.position DESC LIMIT 1',
    );
    return { transactionId: rows[0].transaction_id, position: rows[0].position };
  }

  async function checkpointRow(name: string) {
    const { rows } = await db.pool.query<{
      last_tx: string;
      last_position: number;
      status: string;
      attempts: number;
      last_error: string | null;
    }>('SELECT last_tx::text, last_position, status, attempts, last_error FROM consumer_checkpoints WHERE name = $1', [
      name,
    ]);
    const row = rows[0];
    return (
      row && {
        checkpoint: { transactionId: row.last_tx, position: row.last_position },
        status: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
      }
    );
  }

  const caughtUp = (name: string) => waitUntilCaughtUp(db.pool, name);

  const positions = async (table: string): Promise<number[]> =>
    (await db.pool.query<{ position: number }>(`SELECT position FROM ${table} ORDER BY position`)).rows.map(
      (row) => row.position,
    );
  const positionsOfType = async (type: string): Promise<number[]> =>
    (
      await db.pool.query<{ position: number }>('SELECT position FROM events WHERE type = $1 ORDER BY position', [type])
    ).rows.map((row) => row.position);

  it('applies every handled event exactly once, in log order, while writers append concurrently, and its checkpoint ends at the last event', async () => {
    const projection = await tableProjection('exactly-once', 'applied');
    await startRunner(projection, { batchSize: 25 });

    // 4 writers, 60 appends each, concurrently: transactions commit out of position order. Every third append
    // is of a type the projection does not handle; some appends hold two events in one transaction.
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 60; i++) {
          const n = w * 1_000 + i;
          await append(`w${w}-${i % 7}`, i % 3 === 0 ? [u(n)] : i % 3 === 1 ? [t(n)] : [t(n), t(n + 500)]);
        }
      }),
    );
    // The log ends with events it does not handle: its checkpoint must still move past them.
    await append('tail', [u(1), u(2), u(3)]);
    await caughtUp('exactly-once');

    expect(await positions('applied')).toEqual(await positionsOfType('T'));
    expect(await checkpointRow('exactly-once')).toEqual({
      checkpoint: await endOfLog(),
      status: 'running',
      attempts: 0,
      lastError: null,
    });
    const handed = projection.calls.flatMap((call) => call.events);
    expect(handed.every((event) => event.type === 'T')).toBe(true);
    expect(handed).toEqual([...handed].sort(logOrder));
  });

  it('hands its consumer whole appends: a full batch ends before an append it would cut, unless that append fills it alone', async () => {
    const projection = await tableProjection('whole-appends', 'applied');
    await append('a', [t(1), t(2), t(3)]);
    await append('b', [t(4), t(5), t(6)]);
    await append('c', [t(7), t(8), t(9), t(10), t(11), t(12)]);
    await append('d', [t(13)]);
    // All readable before the runner starts, so that its batches are cut by size alone.
    await waitFor(async () => (await readEventsAfter(db.pool, START_OF_LOG, 100)).events.length === 13, {
      what: 'the events to pass the read horizon',
      timeoutMs: 45_000,
    });
    await startRunner(projection, { batchSize: 4 });
    await caughtUp('whole-appends');

    expect(projection.calls.map((call) => call.events.map((event) => (event.data as { n: number }).n))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9, 10], // c alone is longer than a batch: it comes in pieces
      [11, 12, 13],
    ]);
  });

  it("commits the projection's writes and its checkpoint together: a batch that writes and then throws leaves neither", async () => {
    let failing = false;
    const written: number[] = [];
    const projection = await tableProjection('atomic', 'applied', {
      afterWrite: async (_events, tx) => {
        if (!failing) return;
        // The rows are written on the batch's transaction...
        const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM applied');
        written.push(rows[0].n);
        throw new Error('fails after writing');
      },
    });
    await startRunner(projection, { maxAttempts: 1 });

    await append('ok', [t(1), t(2), t(3), t(4), t(5)]);
    await caughtUp('atomic');
    const before = await checkpointRow('atomic');

    failing = true;
    await append('bad', [t(6), t(7), t(8), t(9), t(10)]);
    await waitFor(async () => (await checkpointRow('atomic'))?.status === 'failed', { what: 'the consumer to fail' });

    expect(written).toEqual([10]); // ...and the failed batch had written its five rows before it threw
    // ...which are gone, and the checkpoint has not moved.
    expect(await positions('applied')).toEqual((await positionsOfType('T')).slice(0, 5));
    const after = await checkpointRow('atomic');
    expect(after.checkpoint).toEqual(before.checkpoint);
    expect(after).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('fails after writing'),
    });
  });

  it('stops a projection at the event it fails on, after applying those before it and retrying with backoff, without holding another back', async () => {
    // What the poisoned runner did, in order: the events of each try, and each retry delay it waited out.
    const steps: string[] = [];
    const poisoned = await tableProjection('poisoned', 'poisoned_rows', {
      beforeWrite: async (events) => {
        steps.push(`try ${events.map((event) => (event.data as { n: number }).n).join(',')}`);
      },
      afterWrite: async (events) => {
        const poison = events.find((event) => (event.data as { poison?: boolean }).poison === true);
        if (poison) throw new Error(`poison ${(poison.data as { n: number }).n}`);
      },
    });
    const healthy = await tableProjection('healthy', 'healthy_rows');
    const { positions: logged } = await append('s', [
      t(1),
      t(2),
      u(3),
      t(4),
      t(5),
      t(6, { poison: true }),
      t(7),
      u(8),
      t(9),
      t(10),
    ]);
    const poisonAt = logged[5];

    await startRunner(poisoned, {
      maxAttempts: 3,
      backoffMs: 50,
      batchSize: 100,
      delay: async (ms) => {
        steps.push(`wait ${ms}`);
      },
    });
    await startRunner(healthy, { maxAttempts: 3, backoffMs: 50, batchSize: 100 });
    await waitFor(async () => (await checkpointRow('poisoned'))?.status === 'failed', {
      what: 'the poisoned projection to fail',
    });
    await caughtUp('healthy');

    // The first batch (all eight handled events) failed; then one event at a time up to the poison.
    expect(poisoned.calls.map((call) => call.events.map((event) => (event.data as { n: number }).n))).toEqual([
      [1, 2, 4, 5, 6, 7, 9, 10],
      [1],
      [2],
      [4],
      [5],
      [6],
      [6],
      [6],
    ]);
    // Each try at the poison was counted (durably, seen from another connection) before it was applied...
    expect(poisoned.calls.slice(-3).map((call) => call.attempts)).toEqual([1, 2, 3]);
    // ...and each failed try but the last was followed by a delay, doubled each time; a success resets it.
    expect(steps).toEqual([
      'try 1,2,4,5,6,7,9,10',
      'wait 50',
      'try 1',
      'try 2',
      'try 4',
      'try 5',
      'try 6',
      'wait 50',
      'try 6',
      'wait 100',
      'try 6',
    ]);

    // It stopped at the poison: the events before it are applied, its checkpoint is the event just before.
    expect(await positions('poisoned_rows')).toEqual([logged[0], logged[1], logged[3], logged[4]]);
    const failed = await checkpointRow('poisoned');
    expect(failed.checkpoint.position).toBe(logged[4]);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed.lastError).toContain(`event ${poisonAt} (T)`);
    expect(failed.lastError).toContain('poison 6');
    // The other projection went on to the end of the same log.
    expect(await positions('healthy_rows')).toEqual(await positionsOfType('T'));

    // A later event reaches the healthy projection; the failed one stays where it stopped.
    await append('later', [t(11)]);
    await caughtUp('healthy');
    expect(poisoned.calls).toHaveLength(8);
    expect(await checkpointRow('poisoned')).toEqual(failed);

    const status = await readLogStatus(db.pool, ['healthy', 'poisoned']);
    expect(status.headPosition).toBe((await endOfLog()).position);
    expect(status.consumers).toEqual([
      {
        name: 'healthy',
        position: status.headPosition,
        lag: 0,
        oldestUnprocessedAgeMs: 0,
        status: 'running',
        lastError: null,
      },
      {
        name: 'poisoned',
        position: logged[4],
        lag: 6, // the poison, 7, 8 (unhandled, still after the checkpoint), 9, 10 and 11
        oldestUnprocessedAgeMs: expect.any(Number),
        status: 'failed',
        lastError: failed.lastError,
      },
    ]);
  });

  it('rolls back the batch of a runner whose checkpoint moved under it (it lost its lock without knowing), then goes on from the new checkpoint', async () => {
    await db.pool.query('CREATE TABLE applied_log (position bigint NOT NULL, applied_by text NOT NULL)');
    const calls: RecordedEvent[][] = [];
    const projection: Projection = {
      name: 'stale',
      handles: ['T'],
      tables: ['applied_log'],
      async applyBatch(events, tx) {
        calls.push(events);
        if (calls.length === 1) {
          // While this runner is in the middle of its batch, a new leader applies the same batch and commits.
          const last = events.at(-1)!;
          const rival = await db.pool.connect();
          try {
            await rival.query('BEGIN');
            await rival.query(`SET LOCAL lock_timeout = '5s'`); // fail rather than hang should the runner hold the row
            await rival.query(`INSERT INTO applied_log SELECT unnest($1::bigint[]), 'rival'`, [
              events.map((event) => event.position),
            ]);
            await rival.query(
              `UPDATE consumer_checkpoints SET last_tx = $2::xid8, last_position = $3, attempts = 0 WHERE name = $1`,
              ['stale', last.transactionId, last.position],
            );
            await rival.query('COMMIT');
          } finally {
            rival.release();
          }
        }
        await tx.query(`INSERT INTO applied_log SELECT unnest($1::bigint[]), 'runner'`, [
          events.map((event) => event.position),
        ]);
      },
    };
    await append('s', [t(1), t(2), t(3)]);
    await startRunner(projection, { batchSize: 100 });
    await waitFor(() => calls.length === 1, { what: 'the first batch' });
    await append('s', [t(4)]);
    await caughtUp('stale');

    const { rows } = await db.pool.query<{ position: number; applied_by: string }>(
      'SELECT position, applied_by FROM applied_log ORDER BY position',
    );
    const logged = await positionsOfType('T');
    // Each event once: the stale batch rolled back, the rival's rows stand, and the runner read on from the rival's checkpoint.
    expect(rows).toEqual([
      { position: logged[0], applied_by: 'rival' },
      { position: logged[1], applied_by: 'rival' },
      { position: logged[2], applied_by: 'rival' },
      { position: logged[3], applied_by: 'runner' },
    ]);
    expect(calls.map((batch) => batch.map((event) => event.position))).toEqual([logged.slice(0, 3), [logged[3]]]);
  });

  it("rebuilds a projection: its tables emptied and its checkpoint back at the start with status 'rebuilding', then the running runner (woken by NOTIFY) catches up to the same contents", async () => {
    let gate: Promise<void> | undefined;
    let open: () => void = () => undefined;
    cleanups.push(() => open());
    const projection = await tableProjection('rebuildable', 'rebuilt', { beforeWrite: async () => gate });
    for (let i = 0; i < 10; i++) await append(`s${i % 3}`, i % 4 === 3 ? [u(i)] : [t(i), t(100 + i), t(200 + i)]);
    // No polling to speak of: only the lock and NOTIFY wake the runner. So first wait until every event is
    // below the read horizon (an open transaction elsewhere in the cluster holds it back for a moment), else
    // the runner's first read might find nothing and no timer would make it read again.
    const total = (await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    await waitFor(async () => (await readEventsAfter(db.pool, START_OF_LOG, 1_000)).events.length === total, {
      what: 'the events to pass the read horizon',
      timeoutMs: 45_000, // as long as waitUntilCaughtUp gives a horizon held elsewhere in the cluster
    });
    await startRunner(projection, { batchSize: 7, pollIntervalMs: 600_000 });
    await caughtUp('rebuildable');
    const snapshot = (await db.pool.query('SELECT * FROM rebuilt ORDER BY position')).rows;
    expect(snapshot).toHaveLength((await positionsOfType('T')).length);
    const callsBefore = projection.calls.length;

    // Hold the runner's first batch after the rebuild, to look at the state the rebuild left.
    gate = new Promise((resolve) => (open = resolve));
    await rebuildProjection(db.pool, projection);
    await waitFor(() => projection.calls.length > callsBefore, {
      what: 'the NOTIFY to wake the runner',
      timeoutMs: 5_000,
    });
    expect(await positions('rebuilt')).toEqual([]);
    expect(await checkpointRow('rebuildable')).toMatchObject({
      checkpoint: { transactionId: '0', position: 0 },
      status: 'rebuilding',
      lastError: null,
    });
    const [whileRebuilding] = (await readLogStatus(db.pool, ['rebuildable'])).consumers;
    expect(whileRebuilding).toMatchObject({ position: 0, status: 'rebuilding', lag: total });

    gate = undefined;
    open();
    await caughtUp('rebuildable');
    expect((await db.pool.query('SELECT * FROM rebuilt ORDER BY position')).rows).toEqual(snapshot);
    // It caught up in short batches, from the start of the log.
    const rebuildCalls = projection.calls.slice(callsBefore);
    expect(rebuildCalls.length).toBeGreaterThan(1);
    expect(rebuildCalls.every((call) => call.events.length <= 7)).toBe(true);
    expect(rebuildCalls.flatMap((call) => call.events.map((event) => event.position)).sort((a, b) => a - b)).toEqual(
      await positionsOfType('T'),
    );
    expect((await readLogStatus(db.pool, ['rebuildable'])).consumers[0]).toMatchObject({ status: 'running', lag: 0 });
  });

  it('runs a projection in one of two worker processes at a time, and the other takes over when the first is SIGKILLed, applying every event exactly once', async () => {
    await db.pool.query(APPLIED_BY_WORKER_TABLE);
    const options = { databaseUrl: db.url, consumer: 'two-workers', batchSize: 5, applyDelayMs: 10 };
    const workers = [ConsumerWorker.spawn(options), ConsumerWorker.spawn(options)];
    await Promise.all(workers.map((worker) => worker.started()));
    const leader = await waitFor(() => workers.find((worker) => worker.isLeader), { what: 'a leader' });
    const follower = workers.find((worker) => worker !== leader)!;

    // A writer appends all along, waking the workers by NOTIFY.
    const notifier = new LogNotifier(db.pool, (error) => logger.warn({ err: error }, 'NOTIFY failed'));
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        await append(`s${n % 5}`, [n % 4 === 0 ? u(n) : t(n)]);
        n++;
        notifier.notifyAppended();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    cleanups.push(() => (writing = false));
    const appliedBy = async (worker: ConsumerWorker) =>
      (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM applied WHERE worker = $1', [worker.pid]))
        .rows[0].n;

    try {
      await waitFor(async () => (await appliedBy(leader)) >= 30, {
        what: 'the leader to apply 30 events',
        timeoutMs: 15_000,
      });
      expect(follower.isLeader).toBe(false);
      expect(follower.leaderships).toBe(0);
      const { rows: before } = await db.pool.query('SELECT DISTINCT worker FROM applied');
      expect(before).toEqual([{ worker: leader.pid }]);

      process.kill(leader.pid, 'SIGKILL');
      await leader.exited();
      // The dead session frees the lock at once; the follower tries it every 200 ms.
      await waitFor(() => follower.isLeader, { what: 'the follower to take over', timeoutMs: 10_000 });
      await waitFor(async () => (await appliedBy(follower)) >= 30, {
        what: 'the new leader to apply 30 events',
        timeoutMs: 10_000,
      });
      expect(follower.leaderships).toBe(1);
    } finally {
      writing = false;
      await writer;
      await notifier.drain();
    }

    await append('last', [t(n)]);
    await caughtUp('two-workers');
    // Every handled event applied exactly once (a second application would have broken the primary key and failed the consumer)...
    expect(await positions('applied')).toEqual(await positionsOfType('T'));
    expect(await checkpointRow('two-workers')).toMatchObject({ status: 'running', attempts: 0, lastError: null });
    // ...by one worker at a time: everything the dead leader committed comes before, in log order and in time,
    // everything the new one applied.
    const { rows: handover } = await db.pool.query<{ worker: number; first_at: Date; last_at: Date }>(
      'SELECT worker, min(applied_at) AS first_at, max(applied_at) AS last_at FROM applied GROUP BY worker',
    );
    expect(handover.map((row) => row.worker).sort()).toEqual([leader.pid, follower.pid].sort());
    const old = handover.find((row) => row.worker === leader.pid)!;
    const next = handover.find((row) => row.worker === follower.pid)!;
    expect(old.last_at.getTime()).toBeLessThan(next.first_at.getTime());
    const { rows: inLogOrder } = await db.pool.query<{ worker: number }>(
      'SELECT worker FROM applied ORDER BY tx, position',
    );
    const switches = inLogOrder.filter((row, i) => i > 0 && row.worker !== inLogOrder[i - 1].worker);
    expect(inLogOrder[0].worker).toBe(leader.pid);
    expect(switches).toEqual([{ worker: follower.pid }]);
  });
  it('gives its lock up when stopped while it is still starting, so that another runner can take over', async () => {
    const projection = await tableProjection('quick-stop', 'applied');
    const first = new ConsumerRunner(db.pool, projection, {
      databaseUrl: db.url,
      logger,
      lockIntervalMs: 100,
      pollIntervalMs: 50,
    });
    const starting = first.start();
    await first.stop(); // say, a worker shut down right after it booted
    await starting;

    const second = await startRunner(projection);
    await waitFor(() => second.isLeader, { what: 'the second runner to take the lock', timeoutMs: 5_000 });
    expect(first.isLeader).toBe(false);
    await append('s', [t(1)]);
    await caughtUp('quick-stop');
  });

  it('stops a projection that kills its worker process on an event after a few tries, instead of crash-looping every worker in turn', async () => {
    await db.pool.query(APPLIED_BY_WORKER_TABLE);
    const { positions: logged } = await append('s', [t(1), t(2, { poison: true }), t(3)]);
    const poisonAt = logged[1];
    const maxAttempts = 2;
    // A fleet of workers: whichever holds the lock applies the poison and dies (as under the OOM killer), the
    // next takes over. The attempts are counted before each try, so the fleet must give up on the event:
    // one try at the whole batch and maxAttempts at the poison alone may crash, the next worker must not.
    const workers = Array.from({ length: maxAttempts + 2 }, () =>
      ConsumerWorker.spawn({
        databaseUrl: db.url,
        consumer: 'crashing',
        batchSize: 10,
        crashOnPoison: true,
        maxAttempts,
      }),
    );
    const outcome = await waitFor(
      async () => {
        if ((await checkpointRow('crashing'))?.status === 'failed') return 'stopped at the event';
        return workers.every((worker) => !worker.alive) && 'every worker crashed on it';
      },
      { what: 'the consumer to stop or every worker to crash', timeoutMs: 30_000 },
    );
    const row = await checkpointRow('crashing');
    expect({
      outcome,
      status: row.status,
      attempts: row.attempts,
      crashed: workers.filter((worker) => !worker.alive).length,
    }).toEqual({
      outcome: 'stopped at the event',
      status: 'failed',
      attempts: expect.any(Number),
      crashed: expect.any(Number),
    });
    expect(row.attempts).toBeLessThanOrEqual(maxAttempts + 1);
    expect(workers.some((worker) => worker.alive)).toBe(true);
    // It stopped at the poison, as for a thrown error: the event before it applied, nothing from it on.
    expect(await positions('applied')).toEqual([logged[0]]);
    expect(row.checkpoint.position).toBe(logged[0]);
    expect(row.lastError).toContain(`event ${poisonAt} (T)`);
  });
});
