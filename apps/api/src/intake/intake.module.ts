import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@vigil/event-store';
import { AdminModule } from '../admin/admin.module';
import { SourcesModule } from '../sources/sources.module';
import { AdminIncidentsController } from './admin-incidents.controller';
import { ConfirmIncidentHandler } from './confirm-incident.handler';
import { IncidentWebhookController } from './incident-webhook.controller';
import { RecordArrestHandler } from './record-arrest.handler';
import { RecordExecutionHandler } from './record-execution.handler';
import { RecordHarassmentHandler } from './record-harassment.handler';
import { RecordReleaseHandler } from './record-release.handler';
import { RecordRulingHandler } from './record-ruling.handler';
import { RetractIncidentHandler } from './retract-incident.handler';
import { ReportLookups } from './report-lookup';
import { SubjectNameKeys } from './subject-name-keys';
import { SubjectResolver } from './subject-resolver';

@Module({
  imports: [CqrsModule, EventStoreModule, AdminModule, SourcesModule],
  controllers: [AdminIncidentsController, IncidentWebhookController],
  providers: [
    RecordArrestHandler,
    RecordReleaseHandler,
    RecordRulingHandler,
    RecordExecutionHandler,
    RecordHarassmentHandler,
    ConfirmIncidentHandler,
    RetractIncidentHandler,
    SubjectResolver,
    SubjectNameKeys,
    ReportLookups,
  ],
})
export class IntakeModule {}
