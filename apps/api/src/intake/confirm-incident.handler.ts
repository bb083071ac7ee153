import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@vigil/event-store';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { correctIncident } from './correct-incident';
import { ConfirmIncident, type IncidentCorrectionResult } from './incident-corrections.commands';

@CommandHandler(ConfirmIncident)
export class ConfirmIncidentHandler implements ICommandHandler<ConfirmIncident, IncidentCorrectionResult> {
  constructor(private readonly store: EventStore) {}

  async execute({ incidentId, source, requestId }: ConfirmIncident): Promise<AtLogPosition<IncidentCorrectionResult>> {
    const position = await correctIncident(this.store, { kind: 'ConfirmIncident', incidentId, source }, requestId);
    return atLogPosition({ incidentId, status: 'confirmed' }, position);
  }
}
