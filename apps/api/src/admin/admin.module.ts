import { Module } from '@nestjs/common';
import { EventStoreModule } from '@vigil/event-store';
import { AdminTokenGuard } from './admin-token.guard';
import { EventsController } from './events.controller';

@Module({
  imports: [EventStoreModule],
  controllers: [EventsController],
  providers: [AdminTokenGuard],
  exports: [AdminTokenGuard],
})
export class AdminModule {}
