import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@vigil/event-store';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AddAliasHandler } from './add-alias.handler';
import { MergeSubjectHandler } from './merge-subject.handler';
import { SubjectIdentityController } from './subject-identity.controller';
import { UnmergeSubjectHandler } from './unmerge-subject.handler';

/** Aliases, merges and unmerges of persons and organisations: admin commands on their streams and name keys. */
@Module({
  imports: [CqrsModule, EventStoreModule, AdminAuthModule],
  controllers: [SubjectIdentityController],
  providers: [AddAliasHandler, MergeSubjectHandler, UnmergeSubjectHandler],
})
export class SubjectIdentityModule {}
