import { Command } from '@nestjs/cqrs';
import type { ReportingSource } from '@vigil/domain';
import type { IncidentReportDto } from './incident-report.dto';
import type { ParsedReport } from './parse-incident-report';

/**
 * How the report reached us: a partner's signed webhook (`source`: who that partner is, as the recording
 * event keeps it) or the admin intake.
 */
export type IntakeChannel =
  | { kind: 'webhook'; sourceId: string; webhookId: string; source: ReportingSource }
  | { kind: 'admin'; idempotencyKey?: string };

export interface IncidentIntake {
  /** As received; its `type` says which incident type (and event) this is. */
  report: IncidentReportDto;
  parsed: ParsedReport;
  channel: IntakeChannel;
  requestId: string;
}

/**
 * `recorded`: a new incident; `corroborated`/`disputed`: the report joined an incident already recorded
 * (disputing its date); `duplicate`: nothing was appended. `position` is the first event appended.
 */
export type RecordIncidentResult =
  | { outcome: 'recorded' | 'corroborated' | 'disputed'; incidentId: string; position: number }
  | { outcome: 'duplicate'; incidentId: string };

/**
 * Records a report of any incident type, through either intake route. One command for every type: the
 * type travels in the report, and what depends on it is read from the domain's table of incident types.
 */
export class RecordIncident extends Command<RecordIncidentResult> {
  constructor(readonly intake: IncidentIntake) {
    super();
  }
}
