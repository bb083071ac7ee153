import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@vigil/event-store';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { correctIncident } from './correct-incident';
import { RetractIncident, type IncidentCorrectionResult } from './incident-corrections.commands';

@CommandHandler(RetractIncident)
export class RetractIncidentHandler implements ICommandHandler<RetractIncident, IncidentCorrectionResult> {
  constructor(private readonly store: EventStore) {}

  async execute({ incidentId, reason, requestId }: RetractIncident): Promise<AtLogPosition<IncidentCorrectionResult>> {
    const position = await correctIncident(this.store, { kind: 'RetractIncident', incidentId, reason }, requestId);
    return atLogPosition({ incidentId, status: 'retracted' }, position);
  }
}
