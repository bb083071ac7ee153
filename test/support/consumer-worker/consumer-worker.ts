/**
 * A worker process of its own for the two-worker tests (consumer-runner.int-spec.ts): it runs one
 * ConsumerRunner for the applied-by-worker projection against WORKER_DATABASE_URL and tells its parent
 * over IPC when it starts and whenever it takes or loses the consumer lock. SIGTERM or a closed IPC
 * channel (the parent went away) stops it cleanly.
 */
import { createLogger, createPgPool } from '@vigil/platform';
import { ConsumerRunner } from '@vigil/consumers';
import { appliedByWorkerProjection } from './applied-by-worker.projection';
import type { WorkerMessage } from './worker-message';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const send = (message: WorkerMessage) => process.send?.(message);

async function main(): Promise<void> {
  const databaseUrl = required('WORKER_DATABASE_URL');
  const consumer = required('WORKER_CONSUMER');
  const pool = createPgPool(databaseUrl, 4, `consumer-worker:${process.pid}`);
  const runner = new ConsumerRunner(
    pool,
    appliedByWorkerProjection(consumer, process.pid, {
      applyDelayMs: Number(process.env.WORKER_APPLY_DELAY_MS ?? 0),
      crashOnPoison: process.env.WORKER_CRASH_ON_POISON === 'true',
    }),
    {
      databaseUrl,
      logger: createLogger('consumer-worker', process.env.LOG_LEVEL ?? 'silent'),
      batchSize: Number(process.env.WORKER_BATCH_SIZE ?? 10),
      maxAttempts: Number(process.env.WORKER_MAX_ATTEMPTS ?? 5),
      backoffMs: 10,
      lockIntervalMs: 200,
      pollIntervalMs: 100,
    },
  );

  let leader = false;
  const watch = setInterval(() => {
    if (runner.isLeader === leader) return;
    leader = runner.isLeader;
    send({ type: 'leader', pid: process.pid, leader });
  }, 10);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(watch);
      await runner.stop();
      await pool.end();
      process.exit(0);
    })());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());

  await runner.start();
  send({ type: 'started', pid: process.pid });
}

main().catch((error: Error) => {
  send({ type: 'error', pid: process.pid, message: error.stack ?? error.message });
  process.exit(1);
});
