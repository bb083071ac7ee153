import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { EmailSubscriptions, type SubscriptionView } from '@vigil/alerts';
import { ListQueryDto } from '../http/list-query.dto';
import { decodeCursor, encodeCursor, isTimeCursor, type Page } from '../http/pagination';
import { AdminTokenGuard } from '../admin/admin-token.guard';

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/subscriptions')
export class AdminSubscriptionsController {
  constructor(private readonly subscriptions: EmailSubscriptions) {}

  /** Email subscriptions with their watch lists and state. */
  @Get()
  async list(@Query() query: ListQueryDto): Promise<Page<SubscriptionView>> {
    const after = query.cursor ? decodeCursor(query.cursor, isTimeCursor) : undefined;
    const rows = await this.subscriptions.list(query.limit + 1, after && { createdAt: after.c, id: after.i });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor:
        rows.length > query.limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null,
    };
  }

  /** Erasure: the subscription, its address and its watch list are deleted; deliveries keep only its id. */
  @Delete(':id')
  @HttpCode(204)
  async erase(@Param('id') id: string): Promise<void> {
    if (!(isUUID(id) && (await this.subscriptions.erase(id)))) {
      throw new NotFoundException('no email subscription has this id');
    }
  }
}
