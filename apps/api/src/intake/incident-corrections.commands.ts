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

export interface ConflictResolution {
  incidentId: string;
  field: 'occurredOn';
  /** The value that stands, when one was chosen. */
  value?: string;
  /** The incident recorded for the disputing sources, when they were separated. */
  separatedAs?: string;
}

export class ResolveIncidentConflict extends Command<ConflictResolution> {
  constructor(
    readonly incidentId: string,
    readonly field: 'occurredOn',
    readonly resolution: { value: string } | { separate: true },
    readonly note: string | undefined,
    readonly requestId: string,
  ) {
    super();
  }
}

export interface MergeResult {
  incidentId: string;
  mergedInto: string;
}

export class MergeIncidents extends Command<MergeResult> {
  constructor(
    readonly incidentId: string,
    readonly into: string,
    readonly note: string | undefined,
    readonly requestId: string,
  ) {
    super();
  }
}
