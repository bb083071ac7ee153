import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DeliverySweeper } from '@vigil/delivery';
import { createLogger, Metrics, type VigilConfig } from '@vigil/platform';
import { ConsumerHost } from '../../apps/worker/src/consumer-host';
import { WorkerModule, type WorkerOptions } from '../../apps/worker/src/worker.module';

export interface TestWorker {
  app: INestApplicationContext;
  host: ConsumerHost;
  sweeper: DeliverySweeper;
  close(): Promise<void>;
}

/** The real worker (its consumers and processors) in the test process, as main.ts starts it. */
export async function startTestWorker(config: VigilConfig, options: WorkerOptions = {}): Promise<TestWorker> {
  const logger = createLogger('vigil-worker-test', process.env.LOG_LEVEL ?? 'silent');
  const app = await NestFactory.createApplicationContext(
    // Health and metrics on a free port (config.workerPort is 0) of the loopback.
    WorkerModule.forRoot(config, logger, new Metrics(false), { httpHost: '127.0.0.1', ...options }),
    {
      logger: false,
    },
  );
  await app.init();
  return { app, host: app.get(ConsumerHost), sweeper: app.get(DeliverySweeper), close: () => app.close() };
}
