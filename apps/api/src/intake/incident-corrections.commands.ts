import { Command } from '@nestjs/cqrs';

export interface IncidentCorrectionResult {
  incidentId: string;
  status: 'confirmed' | 'retracted';
}

export class ConfirmIncident extends Command<IncidentCorrectionResult> {
  constructor(
    readonly incidentId: string,
    readonly source: { name: string; url?: string } | undefined,
    readonly requestId: string,
  ) {
    super();
  }
}

export class RetractIncident extends Command<IncidentCorrectionResult> {
  constructor(
    readonly incidentId: string,
    readonly reason: string,
    readonly requestId: string,
  ) {
    super();
  }
}
