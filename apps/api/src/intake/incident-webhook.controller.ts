import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../http/request-validation.error';
import { SourceSecrets } from '../sources/source-secrets';
import { VerifiedSourceParam, WebhookSignatureGuard, type VerifiedSource } from '../sources/webhook-signature.guard';
import { IncidentReportDto } from './incident-report.dto';
import { AnswersIntake, recordIncident, type IntakeAnswer } from './record-incident.endpoint';

const WEBHOOK_ID = /^[\x21-\x7e]{1,200}$/;

/** Partners' signed reports (Standard Webhooks). The signature is checked before the body is validated. */
@ApiTags('intake')
@Controller('v1/webhooks/incidents')
export class IncidentWebhookController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sources: SourceSecrets,
  ) {}

  @Post(':sourceId')
  @UseGuards(WebhookSignatureGuard)
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({ name: 'webhook-timestamp', required: true })
  @ApiHeader({ name: 'webhook-signature', required: true })
  @AnswersIntake()
  async report(
    @Body() report: IncidentReportDto,
    @VerifiedSourceParam() source: VerifiedSource,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntakeAnswer> {
    const errors = [];
    if (report.externalId === undefined)
      errors.push({ path: 'externalId', message: 'is required on the partner webhook' });
    if (!WEBHOOK_ID.test(source.webhookId))
      errors.push({ path: 'webhook-id', message: 'must be 1 to 200 printable ASCII characters' });
    if (errors.length) throw new RequestValidationError(errors);
    // Who reported it goes into the recording event. The guard let the request through, so the source
    // exists (sources are never deleted): not finding it is a bug, not an input to refuse.
    const reporting = await this.sources.reporting(source.sourceId);
    if (!reporting) throw new Error(`source ${source.sourceId} verified but not found`);
    return recordIncident(
      this.commandBus,
      report,
      { kind: 'webhook', sourceId: source.sourceId, webhookId: source.webhookId, source: reporting },
      request,
      reply,
    );
  }
}
