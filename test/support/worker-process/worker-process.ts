/**
 * The real worker in a child process of its own, as apps/worker/src/main.ts starts it (minus the
 * migration: the test database is a copy of the migrated template), for tests that kill it with SIGKILL or stop it with SIGTERM.
 * Its configuration comes from the environment (loadConfig); WORKER_OPTIONS may hold the WorkerOptions
 * as JSON. It tells its parent over IPC once started; SIGTERM or a closed IPC channel (the parent went
 * away) stops it cleanly.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, loadConfig, Metrics } from '@vigil/platform';
import { ConsumerHost } from '../../../apps/worker/src/consumer-host';
import { WorkerHttpServer } from '../../../apps/worker/src/operations/worker-http-server';
import { WorkerModule, type WorkerOptions } from '../../../apps/worker/src/worker.module';
import type { WorkerProcessMessage } from './worker-process-message';

const send = (message: WorkerProcessMessage) => process.send?.(message);

async function main(): Promise<void> {
  // WORKER_PORT cannot say "any free port": several of these run at once.
  const config = { ...loadConfig(), workerPort: 0 };
  const logger = createLogger('vigil-worker-process', process.env.LOG_LEVEL ?? 'silent');
  const options = JSON.parse(process.env.WORKER_OPTIONS ?? '{}') as WorkerOptions;
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, logger, new Metrics(false), { httpHost: '127.0.0.1', ...options }),
    { logger: false },
  );
  await app.init();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Whatever happens while closing, the process goes: the parent waits for its exit.
      await app.close().catch(() => undefined);
      process.exit(0);
    })());
  process.on('SIGTERM', () => {
    send({ type: 'stopping', pid: process.pid });
    void stop();
  });
  process.on('disconnect', () => void stop());

  send({
    type: 'started',
    pid: process.pid,
    port: app.get(WorkerHttpServer, { strict: false }).port,
    consumers: app.get(ConsumerHost, { strict: false }).runners.map((runner) => runner.consumer.name),
  });
}

main().catch((error: Error) => {
  send({ type: 'error', pid: process.pid, message: error.stack ?? error.message });
  process.exit(1);
});
