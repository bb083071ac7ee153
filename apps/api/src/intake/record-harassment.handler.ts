import { CommandHandler } from '@nestjs/cqrs';
import { RecordHarassment } from './record-incident.commands';
import { RecordIncidentHandler } from './record-incident.handler';

@CommandHandler(RecordHarassment)
export class RecordHarassmentHandler extends RecordIncidentHandler {}
