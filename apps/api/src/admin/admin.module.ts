import { Module } from '@nestjs/common';
import { Deliveries, DeliveryQueuesModule } from '@vigil/alerts';
import { EventStoreModule } from '@vigil/event-store';
import { Metrics, PG_POOL, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import type { Pool } from 'pg';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { DeliveriesController } from './deliveries.controller';
import { EventsController } from './events.controller';
import { LOG_CONSUMERS, logConsumers, type LogConsumers } from './log-consumers';
import { ProjectionLagGauge } from './projection-lag.gauge';
import { ProjectionsController } from './projections.controller';
import { QueuesController } from './queues.controller';
import { SubjectsController } from './subjects.controller';
import { keptViewLimits, SubjectViews } from '../read-models/subject-views';

/** The admin API's reads: persons and organisations, the raw log, deliveries, their queues and the consumers' state. */
@Module({
  imports: [AdminAuthModule, EventStoreModule, DeliveryQueuesModule],
  controllers: [EventsController, SubjectsController, ProjectionsController, DeliveriesController, QueuesController],
  providers: [
    ProjectionLagGauge,
    Deliveries,
    { provide: LOG_CONSUMERS, useFactory: logConsumers },
    {
      provide: SubjectViews,
      inject: [PG_POOL, LOG_CONSUMERS, Metrics, VIGIL_CONFIG],
      useFactory: (pool: Pool, consumers: LogConsumers, metrics: Metrics, config: VigilConfig) =>
        new SubjectViews(
          pool,
          consumers.projections.map((projection) => projection.name),
          metrics.registry,
          keptViewLimits(config.adminViewCacheMib),
        ),
    },
  ],
})
export class AdminModule {}
