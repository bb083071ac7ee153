import { CommandHandler } from '@nestjs/cqrs';
import { RecordArrest } from './record-incident.commands';
import { RecordIncidentHandler } from './record-incident.handler';

@CommandHandler(RecordArrest)
export class RecordArrestHandler extends RecordIncidentHandler {}
