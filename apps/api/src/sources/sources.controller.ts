import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { AdminTokenGuard } from '../admin/admin-token.guard';
import { ListQueryDto } from '../http/list-query.dto';
import { decodeCursor, encodeCursor, type Page } from '../http/pagination';
import { CreateSourceDto } from './create-source.dto';
import { SourceSecrets, type IssuedSecret, type Source } from './source-secrets';

const MICROSECOND_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real instant in the list's format, so a forged cursor is a 400 and never reaches Postgres as a bad timestamp. */
const isInstant = (value: unknown): value is string =>
  typeof value === 'string' &&
  MICROSECOND_TIME.test(value) &&
  new Date(`${value.slice(0, 23)}Z`).toISOString().slice(0, 23) === value.slice(0, 23);

const isCursor = (v: unknown): v is { c: string; i: string } =>
  typeof v === 'object' && v !== null && isInstant((v as { c: unknown }).c) && isUUID((v as { i: unknown }).i);

/** Partners that report through the signed webhook. A secret is shown once, when issued, and never listed. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/sources')
export class SourcesController {
  constructor(private readonly sources: SourceSecrets) {}

  @Get()
  async list(@Query() query: ListQueryDto): Promise<Page<Source>> {
    const after = query.cursor ? decodeCursor(query.cursor, isCursor) : undefined;
    const rows = await this.sources.list(query.limit + 1, after && { createdAt: after.c, id: after.i });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ id, name, createdAt }) => ({ id, name, createdAt })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ c: last.position, i: last.id }) : null,
    };
  }

  @Post()
  create(@Body() body: CreateSourceDto): Promise<IssuedSecret> {
    return this.sources.create(body.name);
  }

  /** The old secret keeps verifying for 24 hours, so the partner can switch without losing a report. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Param('id') id: string): Promise<IssuedSecret> {
    const issued = isUUID(id) ? await this.sources.rotate(id) : undefined;
    if (!issued) throw new NotFoundException('no source has this id');
    return issued;
  }
}
