import { CommandHandler } from '@nestjs/cqrs';
import { RecordExecution } from './record-incident.commands';
import { RecordIncidentHandler } from './record-incident.handler';

@CommandHandler(RecordExecution)
export class RecordExecutionHandler extends RecordIncidentHandler {}
