import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { EmailSubscriptions, type SubscriptionView } from '@vigil/alerts';
import { ListQueryDto } from '../http/list-query.dto';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';

const SUBSCRIPTIONS_CURSOR = new ListCursor('email-subscriptions', {
  createdAtUs: KEY.epochMicroseconds,
  id: KEY.uuid,
});

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/subscriptions')
export class AdminSubscriptionsController {
  constructor(private readonly subscriptions: EmailSubscriptions) {}

  /** Email subscriptions with their watch lists and state, oldest first. */
  @Get()
  async list(@Query() query: ListQueryDto): Promise<Page<SubscriptionView>> {
    const after = SUBSCRIPTIONS_CURSOR.decode(query.cursor);
    return SUBSCRIPTIONS_CURSOR.page(await this.subscriptions.list(query.limit, after));
  }

  /**
   * Erasure, in one transaction: the subscription with its address and watch list, its mail-log counts, and
   * the labels and error texts in its deliveries (docs/decisions/0012-subscriber-data-sealed-and-erased.md).
   */
  @Delete(':id')
  @HttpCode(204)
  async erase(@Param('id') id: string): Promise<void> {
    if (!(isUUID(id) && (await this.subscriptions.erase(id)))) {
      throw new NotFoundException('no email subscription has this id');
    }
  }
}
