import { DynamicModule, Module } from '@nestjs/common';
import { EventStoreModule } from '@vigil/event-store';
import { PlatformModule, type Logger, type Metrics, type VigilConfig } from '@vigil/platform';
import { createProjections } from '@vigil/projections';
import { CONSUMERS, ConsumerHost } from './consumer-host';

/** The worker: consumers of the log (projections, alert routing) and delivery processors. No HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: VigilConfig, logger: Logger, metrics?: Metrics): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, logger, metrics), EventStoreModule],
      providers: [{ provide: CONSUMERS, useFactory: () => createProjections() }, ConsumerHost],
      exports: [ConsumerHost],
    };
  }
}
