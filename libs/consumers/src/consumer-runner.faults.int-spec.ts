import type { PoolClient } from 'pg';
import { appendEvents, type NewEvent, type RecordedEvent } from '@vigil/event-store';
import { createLogger } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';
import type { Projection } from './consumer';
import { ConsumerRunner, type ConsumerRunnerOptions } from './consumer-runner';
import { readLogStatus } from './consumer-status';
import { resumeConsumer } from './resume-consumer';

const logger = createLogger('test', 'silent');

const t = (n: number, extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'T',
  schemaVersion: 1,
  data: { n, ...extra },
});

interface Row {
  status: string;
  attempts: number;
  lastError: string | null;
}

/** Infrastructure errors that strike a batch inside its transaction, as a flapping or overloaded database does. */
const faults: Record<string, (tx: PoolClient, db: TestDatabase) => Promise<void>> = {
  // 57014 query_canceled.
  'a statement timeout': async (tx) => {
    await tx.query(`SET LOCAL statement_timeout = '1ms'`);
    await tx.query('SELECT pg_sleep(1)');
  },
  // 57P01 admin_shutdown, or the client's "Connection terminated": the batch's connection killed from another one.
  'a connection killed mid-transaction': async (tx, db) => {
    const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await tx.query('SELECT 1');
  },
  // The server refuses the work now, though the connection is fine: the same batch may pass a moment later.
  'a deadlock (40P01)': (tx) => raise(tx, '40P01', 'deadlock detected'),
  'a serialization failure (40001)': (tx) => raise(tx, '40001', 'could not serialize access due to concurrent update'),
  'a lock timeout (55P03)': (tx) => raise(tx, '55P03', 'canceling statement due to lock timeout'),
};

/** What lastError says for each fault: the server's own words. */
const LAST_ERROR = /terminat|cancel|timeout|not queryable|deadlock|serialize/i;

/** Raises the error PostgreSQL raises for this SQLSTATE, inside the batch's transaction. */
async function raise(tx: PoolClient, sqlstate: string, message: string): Promise<void> {
  await tx.query(`DO $$ BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = '${sqlstate}'; END $$`);
}

describe(`${ConsumerRunner.name} under faults`, () => {
  let db: TestDatabase;
  const runners: ConsumerRunner[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await db.drop();
  });

  async function checkpointRow(name: string): Promise<Row> {
    const { rows } = await db.pool.query<{ status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM consumer_checkpoints WHERE name = $1',
      [name],
    );
    return { status: rows[0].status, attempts: rows[0].attempts, lastError: rows[0].last_error };
  }

  /** 'T' events into `table (position PRIMARY KEY)`: applying one twice breaks the key. `before` may throw. */
  async function tableProjection(
    name: string,
    before: (events: RecordedEvent[], tx: PoolClient) => Promise<void>,
  ): Promise<Projection> {
    await db.pool.query(`CREATE TABLE ${name}_rows (position bigint PRIMARY KEY)`);
    return {
      name,
      handles: ['T'],
      tables: [`${name}_rows`],
      async applyBatch(events, tx) {
        await before(events, tx);
        await tx.query(`INSERT INTO ${name}_rows (position) SELECT unnest($1::bigint[])`, [
          events.map((event) => event.position),
        ]);
      },
    };
  }

  async function startRunner(projection: Projection, options: Partial<ConsumerRunnerOptions>): Promise<void> {
    const runner = new ConsumerRunner(db.pool, projection, {
      databaseUrl: db.url,
      logger,
      pollIntervalMs: 50,
      lockIntervalMs: 100,
      maxAttempts: 3,
      backoffMs: 1,
      ...options,
    });
    runners.push(runner);
    await runner.start();
  }

  const applied = async (name: string) =>
    (await db.pool.query<{ position: string }>(`SELECT position FROM ${name}_rows ORDER BY position`)).rows.map((row) =>
      Number(row.position),
    );
  const caughtUp = (name: string) =>
    waitFor(async () => (await readLogStatus(db.pool, [name])).consumers[0].lag === 0, { what: `${name} to catch up` });

  it.each(Object.keys(faults))(
    "retries a batch that meets %s many more times than maxAttempts, showing 'stalled' with lastError and counting no try, then applies every event exactly once and is 'running'",
    async (fault) => {
      const { positions } = await appendEvents(db.pool, [
        { streamId: 's', expected: 'any', events: [1, 2, 3, 4, 5].map((n) => t(n)) },
      ]);
      const FAULTY_TRIES = 12; // four times maxAttempts
      let tries = 0;
      const projection = await tableProjection('flapping', async (_, tx) => {
        if (++tries <= FAULTY_TRIES) await faults[fault](tx, db);
      });
      // What another connection saw while the runner waited out each stall.
      const seen: Row[] = [];
      const delays: number[] = [];
      await startRunner(projection, {
        backoffMs: 100,
        maxBackoffMs: 800,
        random: () => 0.5,
        delay: async (ms) => {
          delays.push(ms);
          seen.push(await checkpointRow('flapping'));
        },
      });

      await waitFor(async () => (await checkpointRow('flapping')).status === 'running' && tries > FAULTY_TRIES, {
        what: 'the flapping consumer to get through',
      });
      await caughtUp('flapping');

      expect(await applied('flapping')).toEqual(positions);
      expect(await checkpointRow('flapping')).toEqual({ status: 'running', attempts: 0, lastError: null });
      expect(seen).toHaveLength(FAULTY_TRIES);
      for (const row of seen) {
        expect(row).toMatchObject({ status: 'stalled', attempts: 0 });
        expect(row.lastError).toMatch(LAST_ERROR);
      }
      // Doubled from the first delay up to the cap, each drawn between half and all of it (here: three quarters).
      expect(delays).toEqual([75, 150, 300, 600, 600, 600, 600, 600, 600, 600, 600, 600]);
    },
  );

  it("stops at an event its handler throws on ('failed', the events before it applied), and a resume after the fix applies the rest exactly once", async () => {
    const { positions } = await appendEvents(db.pool, [
      { streamId: 's', expected: 'any', events: [t(1), t(2), t(3, { poison: true }), t(4), t(5)] },
    ]);
    let fixed = false;
    const projection = await tableProjection('poisoned', async (events) => {
      if (!fixed && events.some((event) => (event.data as { poison?: boolean }).poison)) {
        throw new Error('cannot handle a poisoned event');
      }
    });
    await startRunner(projection, { delay: async () => undefined });

    await waitFor(async () => (await checkpointRow('poisoned')).status === 'failed', {
      what: 'the poisoned consumer to fail',
    });
    expect(await applied('poisoned')).toEqual(positions.slice(0, 2));
    const failed = await checkpointRow('poisoned');
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed.lastError).toContain(`event ${positions[2]} (T)`);
    expect(await resumeConsumer(db.pool, 'healthy-but-unknown')).toBe(false);

    fixed = true; // the fix is deployed
    expect(await resumeConsumer(db.pool, 'poisoned')).toBe(true);
    await caughtUp('poisoned');
    expect(await applied('poisoned')).toEqual(positions);
    expect(await checkpointRow('poisoned')).toEqual({ status: 'running', attempts: 0, lastError: null });
    // Only a failed consumer is resumed.
    expect(await resumeConsumer(db.pool, 'poisoned')).toBe(false);
  });
});
