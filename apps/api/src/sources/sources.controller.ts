import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { ListQueryDto } from '../http/list-query.dto';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { CreateSourceDto } from './create-source.dto';
import { RotateSecretDto } from './rotate-secret.dto';
import { SourceSecrets, type IssuedSecret, type Source } from './source-secrets';

const SOURCES_CURSOR = new ListCursor('sources', { createdAtUs: KEY.epochMicroseconds, id: KEY.uuid });

/** Partners that report through the signed webhook. A secret is shown once, when issued, and never listed. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/sources')
export class SourcesController {
  constructor(private readonly sources: SourceSecrets) {}

  /** Oldest first. */
  @Get()
  async list(@Query() query: ListQueryDto): Promise<Page<Source>> {
    const after = SOURCES_CURSOR.decode(query.cursor);
    return SOURCES_CURSOR.page(await this.sources.list(query.limit, after));
  }

  @Post()
  create(@Body() body: CreateSourceDto): Promise<IssuedSecret> {
    return this.sources.create(body);
  }

  /**
   * The old secret keeps verifying for 24 hours, so the partner can switch without losing a report;
   * `{"revokeOldNow": true}` (a leaked secret) ends it at once instead.
   */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Param('id') id: string, @Body() body: RotateSecretDto): Promise<IssuedSecret> {
    const issued = isUUID(id)
      ? await this.sources.rotate(id, new Date(), { revokeOldNow: body.revokeOldNow === true })
      : undefined;
    if (!issued) throw new NotFoundException('no source has this id');
    return issued;
  }

  /** Its reports are refused with 401 from now on (in other API processes within 5 seconds); nothing else changes. */
  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id') id: string): Promise<Source> {
    return this.setDisabled(id, true);
  }

  /** Its current secrets verify again. */
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id') id: string): Promise<Source> {
    return this.setDisabled(id, false);
  }

  private async setDisabled(id: string, disabled: boolean): Promise<Source> {
    const source = isUUID(id) ? await this.sources.setDisabled(id, disabled) : undefined;
    if (!source) throw new NotFoundException('no source has this id');
    return source;
  }
}
