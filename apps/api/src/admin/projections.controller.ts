import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import { readLogStatus, rebuildProjection, resumeConsumer, type LogStatus } from '@vigil/consumers';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { LOG_CONSUMERS, type LogConsumers } from './log-consumers';

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOG_CONSUMERS) private readonly consumers: LogConsumers,
  ) {}

  @Get()
  async status(): Promise<Omit<LogStatus, 'consumers'> & { projections: LogStatus['consumers'] }> {
    const { consumers, ...rest } = await readLogStatus(this.pool, this.consumers.names);
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
