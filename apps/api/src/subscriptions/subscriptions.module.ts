import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { CqrsModule } from '@nestjs/cqrs';
import { ConfirmationMails, DeliveryQueuesModule, EmailSubscriptions, WebhookSubscriptions } from '@vigil/alerts';
import { IntakeModule } from '../intake/intake.module';
import { PagesFoundationModule } from '../pages/foundation';
import { AdminSubscriptionsController } from './admin-subscriptions.controller';
import { ConfirmSubscriptionHandler } from './confirm-subscription.handler';
import { EndSubscriptionHandler } from './end-subscription.handler';
import { StartSubscriptionHandler } from './start-subscription.handler';
import { SubscribeRateLimit } from './subscribe-rate-limit';
import { SubscriptionsController } from './subscriptions.controller';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WatchListResolver } from './watch-list';
import {
  ChangeSubscriptionHandler,
  EraseSubscriptionHandler,
  PauseSubscriptionHandler,
} from './manage-subscription.handlers';

@Module({
  imports: [CqrsModule, AdminAuthModule, IntakeModule, DeliveryQueuesModule, PagesFoundationModule],
  controllers: [SubscriptionsController, AdminSubscriptionsController, WebhookSubscriptionsController],
  providers: [
    StartSubscriptionHandler,
    ConfirmSubscriptionHandler,
    EndSubscriptionHandler,
    ChangeSubscriptionHandler,
    PauseSubscriptionHandler,
    EraseSubscriptionHandler,
    SubscribeRateLimit,
    EmailSubscriptions,
    ConfirmationMails,
    WatchListResolver,
    WebhookSubscriptions,
  ],
  exports: [WatchListResolver, SubscribeRateLimit, EmailSubscriptions],
})
export class SubscriptionsModule {}
