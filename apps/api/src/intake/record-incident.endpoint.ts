import type { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnswersLogPosition, atLogPosition, type AtLogPosition } from '../http/log-position';
import type { IncidentReportDto } from './incident-report.dto';
import { parseIncidentReport } from './parse-incident-report';
import { RecordIncident, type IntakeChannel } from './record-incident.command';

export type IntakeAnswer =
  | { incidentId: string; status: 'recorded' | 'corroborated' | 'disputed'; position: number }
  | { incidentId: string; status: 'duplicate' };

/** The success answers of both intake routes, in their OpenAPI description. */
export const AnswersIntake = (): MethodDecorator =>
  AnswersLogPosition(
    { status: 201, description: 'recorded: a new incident, named by Location' },
    {
      status: 200,
      description: 'corroborated or disputed: the report joined an incident; or a duplicate, which carries no position',
    },
  );

/**
 * What both intake routes do once the body is valid: parse the date and the type's details, dispatch
 * RecordIncident, and answer 201 with Location for a new incident, or 200 when the report joined one
 * (`corroborated`, `disputed`, with the position of its first event, to wait for) or was a `duplicate`. The
 * position is also the answer's `Vigil-Log-Position`.
 */
export async function recordIncident(
  commandBus: CommandBus,
  report: IncidentReportDto,
  channel: IntakeChannel,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<AtLogPosition<IntakeAnswer>> {
  const parsed = parseIncidentReport(report);
  const result = await commandBus.execute(
    new RecordIncident({ report, parsed, channel, requestId: String(request.id) }),
  );
  if (result.outcome === 'duplicate') {
    void reply.status(200);
    return { incidentId: result.incidentId, status: 'duplicate' };
  }
  if (result.outcome !== 'recorded') {
    void reply.status(200);
    return atLogPosition(
      { incidentId: result.incidentId, status: result.outcome, position: result.position },
      result.position,
    );
  }
  void reply.status(201).header('location', `/v1/admin/incidents/${result.incidentId}`);
  return atLogPosition(
    { incidentId: result.incidentId, status: 'recorded', position: result.position },
    result.position,
  );
}
