import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AdminModule } from '../admin/admin.module';
import { EmailSubscriptions, WebhookSubscriptions } from '@vigil/alerts';
import { ConfirmationMailer } from '@vigil/delivery';
import { SubjectNameKeys } from '../intake/subject-name-keys';
import { AdminSubscriptionsController } from './admin-subscriptions.controller';
import { ConfirmSubscriptionHandler } from './confirm-subscription.handler';
import { EndSubscriptionHandler } from './end-subscription.handler';
import { StartSubscriptionHandler } from './start-subscription.handler';
import { SubscribeRateLimit } from './subscribe-rate-limit';
import { SubscriptionsController } from './subscriptions.controller';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WatchListResolver } from './watch-list';

@Module({
  imports: [CqrsModule, AdminModule],
  controllers: [SubscriptionsController, AdminSubscriptionsController, WebhookSubscriptionsController],
  providers: [
    StartSubscriptionHandler,
    ConfirmSubscriptionHandler,
    EndSubscriptionHandler,
    SubscribeRateLimit,
    EmailSubscriptions,
    ConfirmationMailer,
    SubjectNameKeys,
    WatchListResolver,
    WebhookSubscriptions,
  ],
  exports: [WatchListResolver],
})
export class SubscriptionsModule {}
