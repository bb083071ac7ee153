import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { assertLogNotFromTheFuture, EventStoreModule } from '@vigil/event-store';
import { PG_POOL, PlatformModule, type Logger, type Metrics, type VigilConfig } from '@vigil/platform';

/** Refuses to consume a log restored into a younger cluster before any consumer starts. */
@Injectable()
class LogHorizonCheck implements OnApplicationBootstrap {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  onApplicationBootstrap(): Promise<void> {
    return assertLogNotFromTheFuture(this.pool);
  }
}

/** The worker: consumers of the log (projections, alert routing) and delivery processors. No HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: VigilConfig, logger: Logger, metrics?: Metrics): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, logger, metrics), EventStoreModule],
      providers: [LogHorizonCheck],
    };
  }
}
