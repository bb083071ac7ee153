import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, Metrics, type VigilConfig } from '@vigil/platform';
import { ConsumerHost } from '../../apps/worker/src/consumer-host';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface TestWorker {
  app: INestApplicationContext;
  host: ConsumerHost;
  close(): Promise<void>;
}

/** The real worker (its consumers and processors) in the test process, as main.ts starts it. */
export async function startTestWorker(config: VigilConfig): Promise<TestWorker> {
  const logger = createLogger('vigil-worker-test', process.env.LOG_LEVEL ?? 'silent');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger, new Metrics(false)), { logger: false });
  await app.init();
  return { app, host: app.get(ConsumerHost), close: () => app.close() };
}
