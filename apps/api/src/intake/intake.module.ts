import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@vigil/event-store';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { SourcesModule } from '../sources/sources.module';
import { AdminIncidentsController } from './admin-incidents.controller';
import { ConfirmIncidentHandler } from './confirm-incident.handler';
import { IncidentMatchIndex } from './incident-match-index';
import { IncidentWebhookController } from './incident-webhook.controller';
import { MergeIncidentsHandler } from './merge-incidents.handler';
import { RecordIncidentHandler } from './record-incident.handler';
import { ResolveConflictHandler } from './resolve-conflict.handler';
import { RetractIncidentHandler } from './retract-incident.handler';
import { ReportLookups } from './report-lookup';
import { SubjectNameKeys } from './subject-name-keys';
import { SubjectResolver } from './subject-resolver';

@Module({
  imports: [CqrsModule, EventStoreModule, AdminAuthModule, SourcesModule],
  controllers: [AdminIncidentsController, IncidentWebhookController],
  providers: [
    RecordIncidentHandler,
    ConfirmIncidentHandler,
    RetractIncidentHandler,
    ResolveConflictHandler,
    MergeIncidentsHandler,
    SubjectResolver,
    SubjectNameKeys,
    ReportLookups,
    IncidentMatchIndex,
  ],
  // The intake owns the name keys (it claims them, through one group-committing batcher); subscriptions
  // use the same instance to check that a watched id names someone.
  exports: [SubjectNameKeys],
})
export class IntakeModule {}
