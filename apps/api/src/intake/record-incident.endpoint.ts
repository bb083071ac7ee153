import type { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkIncidentReport } from './check-incident-report';
import type { IncidentReportDto } from './incident-report.dto';
import { recordCommandFor, type IntakeChannel } from './record-incident.commands';

export type IntakeAnswer =
  { incidentId: string; status: 'recorded'; position: number } | { incidentId: string; status: 'duplicate' };

/**
 * What both intake routes do once the body is valid: check the type-dependent rules, dispatch the
 * RecordX command, and answer 201 with Location, or 200 for a duplicate.
 */
export async function recordIncident(
  commandBus: CommandBus,
  report: IncidentReportDto,
  channel: IntakeChannel,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<IntakeAnswer> {
  const checked = checkIncidentReport(report);
  const result = await commandBus.execute(
    recordCommandFor({ report, checked, channel, requestId: String(request.id) }),
  );
  if (result.outcome === 'duplicate') {
    void reply.status(200);
    return { incidentId: result.incidentId, status: 'duplicate' };
  }
  void reply.status(201).header('location', `/v1/admin/incidents/${result.incidentId}`);
  return { incidentId: result.incidentId, status: 'recorded', position: result.position };
}
