import { Module } from '@nestjs/common';
import { Deliveries, DeliveryQueuesModule } from '@vigil/alerts';
import { EventStoreModule } from '@vigil/event-store';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { DeliveriesController } from './deliveries.controller';
import { EventsController } from './events.controller';
import { LOG_CONSUMERS, logConsumers } from './log-consumers';
import { ProjectionLagGauge } from './projection-lag.gauge';
import { ProjectionsController } from './projections.controller';
import { QueuesController } from './queues.controller';
import { SubjectsController } from './subjects.controller';

/** The admin API's reads: persons and organisations, the raw log, deliveries, their queues and the consumers' state. */
@Module({
  imports: [AdminAuthModule, EventStoreModule, DeliveryQueuesModule],
  controllers: [EventsController, SubjectsController, ProjectionsController, DeliveriesController, QueuesController],
  providers: [ProjectionLagGauge, Deliveries, { provide: LOG_CONSUMERS, useFactory: logConsumers }],
})
export class AdminModule {}
