import { Controller, Get, Inject, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import type { Page } from '../http/pagination';
import { AdminTokenGuard } from './admin-token.guard';
import { findSubject, listSubjects, type SubjectKind } from './read-models/subject-read-model';
import { SubjectListQueryDto } from './read-models/subject-list-query.dto';

/** Persons and organisations, searchable by any name or alias. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin')
export class SubjectsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get('persons')
  listPersons(@Query() query: SubjectListQueryDto): Promise<Page<object>> {
    return listSubjects(this.pool, 'person', query);
  }

  @Get('persons/:id')
  getPerson(@Param('id') id: string): Promise<object> {
    return this.find('person', id);
  }

  @Get('organizations')
  listOrganizations(@Query() query: SubjectListQueryDto): Promise<Page<object>> {
    return listSubjects(this.pool, 'organization', query);
  }

  @Get('organizations/:id')
  getOrganization(@Param('id') id: string): Promise<object> {
    return this.find('organization', id);
  }

  private async find(kind: SubjectKind, id: string): Promise<object> {
    const subject = isUUID(id) ? await findSubject(this.pool, kind, id) : undefined;
    if (!subject) throw new NotFoundException(`no ${kind} has this id`);
    return subject;
  }
}
