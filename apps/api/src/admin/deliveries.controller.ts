import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { isUUID } from 'class-validator';
import { Deliveries, DeliveryQueues, type Channel, type DeliveryListItem, type DeliveryStatus } from '@vigil/alerts';
import { ListQueryDto } from '../http/list-query.dto';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { Optional } from '../http/optional';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';

export class DeliveriesQueryDto extends ListQueryDto {
  @Optional() @IsIn(['pending', 'delivered', 'failed', 'dead']) status?: DeliveryStatus;
  @Optional() @IsIn(['email', 'webhook']) channel?: Channel;
  @Optional() @IsUUID('all') subscriptionId?: string;
  @Optional() @IsUUID('all') incidentId?: string;
}

const DELIVERIES_CURSOR = new ListCursor('deliveries', { createdAtUs: KEY.epochMicroseconds, id: KEY.uuid });

/** What became of every alert, and a second chance for the dead ones. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/deliveries')
export class DeliveriesController {
  constructor(
    private readonly deliveries: Deliveries,
    private readonly queues: DeliveryQueues,
  ) {}

  /** Newest first. */
  @Get()
  async list(@Query() query: DeliveriesQueryDto): Promise<Page<DeliveryListItem>> {
    const { status, channel, subscriptionId, incidentId } = query;
    const after = DELIVERIES_CURSOR.decode(query.cursor);
    return DELIVERIES_CURSOR.page(
      await this.deliveries.list({ status, channel, subscriptionId, incidentId }, query.limit, after),
    );
  }

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string): Promise<{ id: string; status: 'pending' }> {
    // Reopened only once its job is queued: with Redis away the answer is 503 and the row is unchanged.
    const reopened = isUUID(id)
      ? await this.deliveries.reopen(id, (row) =>
          this.queues.enqueue([{ id: row.id, channel: row.channel, subscriptionId: row.subscriptionId }]),
        )
      : undefined;
    if (!reopened) {
      const exists = isUUID(id) && (await this.deliveries.find(id));
      throw new NotFoundException(exists ? 'only a dead or failed delivery can be retried' : 'no delivery has this id');
    }
    return { id, status: 'pending' };
  }
}
