import { Module } from '@nestjs/common';
import { Deliveries, DeliveryQueuesModule } from '@vigil/alerts';
import { EventStoreModule } from '@vigil/event-store';
import { AdminTokenGuard } from './admin-token.guard';
import { DeliveriesController } from './deliveries.controller';
import { EventsController } from './events.controller';
import { IncidentsController } from './incidents.controller';
import { LOG_CONSUMERS, logConsumers } from './log-consumers';
import { ProjectionLagGauge } from './projection-lag.gauge';
import { ProjectionsController } from './projections.controller';
import { SubjectsController } from './subjects.controller';

@Module({
  imports: [EventStoreModule, DeliveryQueuesModule],
  controllers: [EventsController, IncidentsController, SubjectsController, ProjectionsController, DeliveriesController],
  providers: [AdminTokenGuard, ProjectionLagGauge, Deliveries, { provide: LOG_CONSUMERS, useFactory: logConsumers }],
  exports: [AdminTokenGuard],
})
export class AdminModule {}
