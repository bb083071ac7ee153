import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Deliveries } from '@vigil/alerts';
import { SubscriptionsModule } from '../../subscriptions/subscriptions.module';
import { PagesFoundationModule } from '../foundation';
import { PublicPagesController } from './public-pages.controller';

/** The start page, the subscribe form and the manage page: the pages anyone may open (docs/api.md, "Pages"). */
@Module({
  imports: [CqrsModule, PagesFoundationModule, SubscriptionsModule],
  controllers: [PublicPagesController],
  providers: [Deliveries],
})
export class PublicPagesModule {}
