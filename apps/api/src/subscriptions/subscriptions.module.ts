import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { CqrsModule } from '@nestjs/cqrs';
import { EmailSubscriptions, WebhookSubscriptions } from '@vigil/alerts';
import { ConfirmationMailer } from '@vigil/delivery';
import { IntakeModule } from '../intake/intake.module';
import { AdminSubscriptionsController } from './admin-subscriptions.controller';
import { ConfirmSubscriptionHandler } from './confirm-subscription.handler';
import { EndSubscriptionHandler } from './end-subscription.handler';
import { StartSubscriptionHandler } from './start-subscription.handler';
import { SubscribeRateLimit } from './subscribe-rate-limit';
import { SubscriptionsController } from './subscriptions.controller';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WatchListResolver } from './watch-list';

@Module({
  imports: [CqrsModule, AdminAuthModule, IntakeModule],
  controllers: [SubscriptionsController, AdminSubscriptionsController, WebhookSubscriptionsController],
  providers: [
    StartSubscriptionHandler,
    ConfirmSubscriptionHandler,
    EndSubscriptionHandler,
    SubscribeRateLimit,
    EmailSubscriptions,
    ConfirmationMailer,
    WatchListResolver,
    WebhookSubscriptions,
  ],
  exports: [WatchListResolver],
})
export class SubscriptionsModule {}
