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
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import { readLogStatus, rebuildProjection, resumeConsumer, type LogStatus } from '@vigil/consumers';
import { EventStore } from '@vigil/event-store';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { RequestValidationError } from '../http/request-validation.error';
import { LOG_CONSUMERS, type LogConsumers } from './log-consumers';
import { ProjectionsQueryDto } from './projections-query.dto';

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOG_CONSUMERS) private readonly consumers: LogConsumers,
    private readonly store: EventStore,
  ) {}

  /**
   * Every consumer's place in the log; with `position`, also whether each has `passed` the append that wrote it
   * (how the console, or any client, waits to read its own write: docs/architecture.md, "Read your writes").
   */
  @Get()
  async status(
    @Query() { position }: ProjectionsQueryDto,
  ): Promise<Omit<LogStatus, 'consumers'> & { projections: LogStatus['consumers'] }> {
    const after = position === undefined ? undefined : await this.store.checkpointAfterAppendAt(position);
    if (position !== undefined && !after) {
      throw new RequestValidationError([{ path: 'position', message: 'no event of the log has this position' }]);
    }
    const { consumers, ...rest } = await readLogStatus(this.pool, this.consumers.names, after);
    return { ...rest, projections: consumers };
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string): Promise<{ name: string; status: 'rebuilding' }> {
    const projection = this.consumers.projections.find((p) => p.name === name);
    if (!projection) {
      if (this.consumers.names.includes(name)) {
        // Replaying the alert router against today's subscriptions would alert new subscribers about old incidents.
        throw new ConflictException(`${name} is not a projection and cannot be rebuilt`);
      }
      throw new NotFoundException(`no projection is named ${name}`);
    }
    await rebuildProjection(this.pool, projection);
    return { name, status: 'rebuilding' };
  }

  /** Restarts a consumer stopped with status `failed` at the event it stopped on (after the fix is deployed). */
  @Post(':name/resume')
  @HttpCode(202)
  async resume(@Param('name') name: string): Promise<{ name: string; status: 'running' }> {
    if (!this.consumers.names.includes(name)) throw new NotFoundException(`no projection is named ${name}`);
    if (!(await resumeConsumer(this.pool, name))) {
      throw new ConflictException(`${name} is not failed: only a failed consumer can be resumed`);
    }
    return { name, status: 'running' };
  }
}
