import { DynamicModule, Module } from '@nestjs/common';
import { DeliveryQueuesModule } from '@vigil/alerts';
import { WORKER_HTTP_HOST, WorkerHttpServer } from './worker-http-server';
import { WorkerMetrics } from './worker-metrics';

/**
 * The worker's health and metrics on its own port (WORKER_PORT). A module of its own, so the worker's
 * start and shutdown stay in worker.module.ts and this part in these files.
 */
@Module({})
export class WorkerOperationsModule {
  static forRoot(host = '0.0.0.0'): DynamicModule {
    return {
      module: WorkerOperationsModule,
      imports: [DeliveryQueuesModule],
      providers: [{ provide: WORKER_HTTP_HOST, useValue: host }, WorkerHttpServer, WorkerMetrics],
      exports: [WorkerHttpServer],
    };
  }
}
