import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { JsonText, SendsJsonText } from '../http/json-text';
import { AnswersLogPosition } from '../http/log-position';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { RequestValidationError } from '../http/request-validation.error';
import { findIncident, listIncidents } from '../read-models/incident-read-model';
import { IncidentsQueryDto } from '../read-models/incidents-query.dto';
import {
  ConfirmIncident,
  MergeIncidents,
  ResolveIncidentConflict,
  RetractIncident,
  type ConflictResolution,
  type IncidentCorrectionResult,
  type MergeResult,
} from './incident-corrections.commands';
import {
  ConfirmIncidentDto,
  MergeIncidentDto,
  ResolveConflictDto,
  RetractIncidentDto,
} from './incident-corrections.dto';
import { IncidentReportDto } from './incident-report.dto';
import { AnswersIntake, recordIncident, type IntakeAnswer } from './record-incident.endpoint';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const INCIDENTS_CURSOR = new ListCursor('incidents', {
  occurredFrom: KEY.dayOrInfinity,
  precisionRank: KEY.smallint,
  position: KEY.position,
});

/**
 * Every route of /v1/admin/incidents: the list and one incident (from the read model), the admin intake
 * (the same report body as the partners') and the corrections only an admin makes (commands).
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/incidents')
export class AdminIncidentsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** Newest first by when they happened. */
  @Get()
  @UseInterceptors(SendsJsonText)
  async list(@Query() query: IncidentsQueryDto): Promise<Page<JsonText>> {
    const after = INCIDENTS_CURSOR.decode(query.cursor);
    return INCIDENTS_CURSOR.page(await listIncidents(this.pool, query, after));
  }

  @Get(':id')
  @UseInterceptors(SendsJsonText)
  async get(@Param('id') id: string): Promise<JsonText> {
    const incident = isUUID(id) ? await findIncident(this.pool, id) : undefined;
    if (!incident) throw new NotFoundException('no incident has this id');
    return incident;
  }

  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'plays the role of externalId' })
  @AnswersIntake()
  record(
    @Body() report: IncidentReportDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntakeAnswer> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new RequestValidationError([
        { path: 'Idempotency-Key', message: 'must be 1 to 200 printable ASCII characters' },
      ]);
    }
    return recordIncident(this.commandBus, report, { kind: 'admin', idempotencyKey }, request, reply);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @AnswersLogPosition({ status: 200, description: 'confirmed' })
  confirm(
    @Param('id') id: string,
    @Body() body: ConfirmIncidentDto,
    @Req() request: FastifyRequest,
  ): Promise<IncidentCorrectionResult> {
    return this.commandBus.execute(new ConfirmIncident(id, body?.source, String(request.id)));
  }

  @Post(':id/retract')
  @HttpCode(200)
  @AnswersLogPosition({ status: 200, description: 'retracted' })
  retract(
    @Param('id') id: string,
    @Body() body: RetractIncidentDto,
    @Req() request: FastifyRequest,
  ): Promise<IncidentCorrectionResult> {
    return this.commandBus.execute(new RetractIncident(id, body.reason, String(request.id)));
  }

  /** Settles a conflict of sources: `{field, value}` or `{field, separate: true}`, with an optional note. */
  @Post(':id/resolve')
  @HttpCode(200)
  @AnswersLogPosition({ status: 200, description: 'the conflict settled' })
  resolve(
    @Param('id') id: string,
    @Body() body: ResolveConflictDto,
    @Req() request: FastifyRequest,
  ): Promise<ConflictResolution> {
    if (!isUUID(id)) throw new NotFoundException('no incident has this id');
    if ((body.value === undefined) === (body.separate === undefined)) {
      throw new RequestValidationError([{ path: 'value', message: 'give either value or separate: true' }]);
    }
    const resolution = body.value !== undefined ? { value: body.value } : { separate: true as const };
    return this.commandBus.execute(
      new ResolveIncidentConflict(id, body.field, resolution, body.note, String(request.id)),
    );
  }

  /** Merges this incident into `into` (they were one event); again into the same one is a no-op. */
  @Post(':id/merge')
  @HttpCode(200)
  @AnswersLogPosition({ status: 200, description: 'merged (again into the same incident: nothing appended)' })
  merge(@Param('id') id: string, @Body() body: MergeIncidentDto, @Req() request: FastifyRequest): Promise<MergeResult> {
    if (!isUUID(id)) throw new NotFoundException('no incident has this id');
    return this.commandBus.execute(new MergeIncidents(id, body.into, body.note, String(request.id)));
  }
}
