import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { ListQueryDto } from '../http/list-query.dto';
import { AnswersLogPosition } from '../http/log-position';
import { findReviewItem, openReviewItems } from '../read-models/review-read-model';
import { DismissCandidate, type DismissAnswer } from './dismiss-candidate.command';

/** The log position of what made an item, then its id: see ReviewKey. */
const REVIEW_CURSOR = new ListCursor('review', { position: KEY.position, id: KEY.uuid });

/**
 * What waits for a person to decide: similar names, possible duplicate incidents and open conflicts, which
 * Vigil proposes and never acts on by itself.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/review')
export class ReviewController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** Open items, oldest first. */
  @Get()
  async list(@Query() { limit, cursor }: ListQueryDto): Promise<Page<object>> {
    const after = REVIEW_CURSOR.decode(cursor);
    return REVIEW_CURSOR.page(await openReviewItems(this.pool, limit, after));
  }

  /**
   * For good: the item never comes back on the list; again on a dismissed one answers the same. A conflict
   * is not dismissed but settled: 409, naming the route that resolves it, and nothing is written.
   */
  @Post(':id/dismiss')
  @HttpCode(200)
  @AnswersLogPosition({ status: 200, description: 'dismissed (a second time: nothing appended)' })
  async dismiss(@Param('id') id: string, @Req() request: FastifyRequest): Promise<DismissAnswer> {
    const item = isUUID(id) ? await findReviewItem(this.pool, id) : undefined;
    if (!item) throw new NotFoundException('no review item has this id');
    if (item.kind === 'conflict') {
      throw new ConflictException(
        `a conflict is not dismissed: settle it with POST /v1/admin/incidents/${item.incidentId}/resolve`,
      );
    }
    if (item.dismissed) return { id, dismissed: true };
    return this.commandBus.execute(new DismissCandidate(id, item.kind, String(request.id)));
  }
}
