import { Command } from '@nestjs/cqrs';
import type { CheckedReport } from './check-incident-report';
import type { IncidentReportDto, IncidentTypeName } from './incident-report.dto';

/** How the report reached us: a partner's signed webhook or the admin intake. */
export type IntakeChannel =
  { kind: 'webhook'; sourceId: string; webhookId: string } | { kind: 'admin'; idempotencyKey?: string };

export interface IncidentIntake {
  report: IncidentReportDto;
  checked: CheckedReport;
  channel: IntakeChannel;
  requestId: string;
}

export type RecordIncidentResult =
  { outcome: 'recorded'; incidentId: string; position: number } | { outcome: 'duplicate'; incidentId: string };

/** One command per incident type (docs/api.md, "Incident reports"), all carrying the validated report. */
export abstract class RecordIncidentCommand extends Command<RecordIncidentResult> {
  constructor(readonly intake: IncidentIntake) {
    super();
  }
}

export class RecordArrest extends RecordIncidentCommand {}
export class RecordRelease extends RecordIncidentCommand {}
export class RecordRuling extends RecordIncidentCommand {}
export class RecordExecution extends RecordIncidentCommand {}
export class RecordHarassment extends RecordIncidentCommand {}

const COMMANDS: Record<IncidentTypeName, new (intake: IncidentIntake) => RecordIncidentCommand> = {
  arrest: RecordArrest,
  release: RecordRelease,
  ruling: RecordRuling,
  execution: RecordExecution,
  harassment: RecordHarassment,
};

export function recordCommandFor(intake: IncidentIntake): RecordIncidentCommand {
  return new COMMANDS[intake.report.type](intake);
}
