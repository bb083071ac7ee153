import { CommandHandler } from '@nestjs/cqrs';
import { RecordRelease } from './record-incident.commands';
import { RecordIncidentHandler } from './record-incident.handler';

@CommandHandler(RecordRelease)
export class RecordReleaseHandler extends RecordIncidentHandler {}
