import { CommandHandler } from '@nestjs/cqrs';
import { RecordRuling } from './record-incident.commands';
import { RecordIncidentHandler } from './record-incident.handler';

@CommandHandler(RecordRuling)
export class RecordRulingHandler extends RecordIncidentHandler {}
