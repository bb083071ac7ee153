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

/**
 * Worker options for a suite that wants lost deliveries found soon: the sweeper looks every 200 ms and takes a row
 * untouched for `staleAfterMs` for lost, and both transports give up on a send within that time, as the worker
 * requires (deliverySettings: a send still in a worker's hand is never taken for lost and sent twice).
 */
export const quickSweeper = (staleAfterMs: number): WorkerOptions => ({
  sweeper: { intervalMs: 200, staleAfterMs },
  webhooks: { timeoutMs: staleAfterMs },
  mail: { timeoutMs: staleAfterMs },
});

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
