import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminTokenGuard } from '../admin/admin-token.guard';
import { RequestValidationError } from '../http/request-validation.error';
import { ConfirmIncident, RetractIncident, type IncidentCorrectionResult } from './incident-corrections.commands';
import { ConfirmIncidentDto, RetractIncidentDto } from './incident-corrections.dto';
import { IncidentReportDto } from './incident-report.dto';
import { recordIncident, type IntakeAnswer } from './record-incident.endpoint';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The admin intake: the same report body as the partners', and the corrections only an admin makes. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/incidents')
export class AdminIncidentsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'plays the role of externalId' })
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
  confirm(
    @Param('id') id: string,
    @Body() body: ConfirmIncidentDto,
    @Req() request: FastifyRequest,
  ): Promise<IncidentCorrectionResult> {
    return this.commandBus.execute(new ConfirmIncident(id, body?.source, String(request.id)));
  }

  @Post(':id/retract')
  @HttpCode(200)
  retract(
    @Param('id') id: string,
    @Body() body: RetractIncidentDto,
    @Req() request: FastifyRequest,
  ): Promise<IncidentCorrectionResult> {
    return this.commandBus.execute(new RetractIncident(id, body.reason, String(request.id)));
  }
}
