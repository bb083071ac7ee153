import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@vigil/event-store';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { DismissCandidateHandler } from './dismiss-candidate.command';
import { ReviewController } from './review.controller';

/** `/v1/admin/review`: the candidates waiting for an admin, and their dismissal. */
@Module({
  imports: [CqrsModule, EventStoreModule, AdminAuthModule],
  controllers: [ReviewController],
  providers: [DismissCandidateHandler],
})
export class ReviewModule {}
