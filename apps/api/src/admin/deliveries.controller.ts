import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { isUUID } from 'class-validator';
import type { Pool } from 'pg';
import { Deliveries, DeliveryQueues } from '@vigil/alerts';
import { PG_POOL } from '@vigil/platform';
import { ListQueryDto } from '../http/list-query.dto';
import { Optional } from '../http/optional';
import { decodeCursor, encodeCursor, isTimeCursor, type Page } from '../http/pagination';
import { AdminTokenGuard } from './admin-token.guard';

export class DeliveriesQueryDto extends ListQueryDto {
  @Optional() @IsIn(['pending', 'delivered', 'failed', 'dead']) status?: string;
  @Optional() @IsIn(['email', 'webhook']) channel?: string;
  @Optional() @IsUUID('all') subscriptionId?: string;
}

/** What became of every alert, and a second chance for the dead ones. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/deliveries')
export class DeliveriesController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly deliveries: Deliveries,
    private readonly queues: DeliveryQueues,
  ) {}

  @Get()
  async list(@Query() query: DeliveriesQueryDto): Promise<Page<object>> {
    const params: unknown[] = [query.limit + 1];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.status) where.push(`status = ${param(query.status)}`);
    if (query.channel) where.push(`channel = ${param(query.channel)}`);
    if (query.subscriptionId) where.push(`subscription_id = ${param(query.subscriptionId)}`);
    if (query.cursor) {
      const after = decodeCursor(query.cursor, isTimeCursor);
      where.push(`(created_at, id) < (${param(after.c)}::timestamptz, ${param(after.i)}::uuid)`);
    }
    const { rows } = await this.pool.query(
      `SELECT id, channel, subscription_id AS "subscriptionId", incident_id AS "incidentId", alert_type AS "alertType", status,
              attempts, last_error AS "lastError", last_attempt_at AS "lastAttemptAt", delivered_at AS "deliveredAt",
              created_at AS "createdAt", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS c
         FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ c: _c, ...row }) => row),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ c: last.c, i: last.id }) : null,
    };
  }

  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string): Promise<{ id: string; status: 'pending' }> {
    const reopened = isUUID(id) ? await this.deliveries.reopen(id) : undefined;
    if (!reopened) {
      const exists = isUUID(id) && (await this.deliveries.find(id));
      throw new NotFoundException(exists ? 'only a dead or failed delivery can be retried' : 'no delivery has this id');
    }
    await this.queues.enqueue([
      { id: reopened.id, channel: reopened.channel, subscriptionId: reopened.subscriptionId },
    ]);
    return { id, status: 'pending' };
  }
}
