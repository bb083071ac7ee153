import { Module } from '@nestjs/common';
import { EventStoreModule } from '@vigil/event-store';
import { AdminTokenGuard } from './admin-token.guard';
import { EventsController } from './events.controller';
import { IncidentsController } from './incidents.controller';
import { LOG_CONSUMERS, logConsumers } from './log-consumers';
import { ProjectionLagGauge } from './projection-lag.gauge';
import { ProjectionsController } from './projections.controller';
import { SubjectsController } from './subjects.controller';

@Module({
  imports: [EventStoreModule],
  controllers: [EventsController, IncidentsController, SubjectsController, ProjectionsController],
  providers: [AdminTokenGuard, ProjectionLagGauge, { provide: LOG_CONSUMERS, useFactory: logConsumers }],
  exports: [AdminTokenGuard],
})
export class AdminModule {}
