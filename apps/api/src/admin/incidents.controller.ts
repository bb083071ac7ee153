import { Controller, Get, Inject, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { AdminTokenGuard } from './admin-token.guard';
import { findIncident, listIncidents } from './read-models/incident-read-model';
import { IncidentsQueryDto } from './read-models/incidents-query.dto';

const INCIDENTS_CURSOR = new ListCursor('incidents', {
  occurredFrom: KEY.day,
  precisionRank: KEY.smallint,
  position: KEY.position,
});

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/incidents')
export class IncidentsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Newest first. */
  @Get()
  async list(@Query() query: IncidentsQueryDto): Promise<Page<object>> {
    const after = INCIDENTS_CURSOR.decode(query.cursor);
    return INCIDENTS_CURSOR.page(await listIncidents(this.pool, query, after));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<object> {
    const incident = isUUID(id) ? await findIncident(this.pool, id) : undefined;
    if (!incident) throw new NotFoundException('no incident has this id');
    return incident;
  }
}
