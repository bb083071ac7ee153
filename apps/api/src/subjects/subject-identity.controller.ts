import { Body, Controller, HttpCode, NotFoundException, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { Subject } from '@vigil/domain';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { AnswersLogPosition } from '../http/log-position';
import {
  AddAlias,
  MergeSubject,
  UnmergeSubject,
  type AliasResult,
  type MergeResult,
  type UnmergeResult,
} from './subject-identity.commands';
import { AddAliasDto, MergeSubjectDto, UnmergeSubjectDto } from './subject-identity.dto';

const ADDED = { status: 200, description: 'the name added (a name the subject had already: nothing appended)' };
const MERGED = { status: 200, description: 'merged (again into the same one: nothing appended)' };
const UNMERGED = { status: 200, description: 'unmerged' };

/**
 * Who is who, decided by an admin: an alias (another script, a transliteration), a merge of two records of
 * one person or organisation, and its undoing (docs/api.md, "Names and identity"). The same for both kinds.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin')
export class SubjectIdentityController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('persons/:id/aliases')
  @HttpCode(200)
  @AnswersLogPosition(ADDED)
  addPersonAlias(@Param('id') id: string, @Body() body: AddAliasDto, @Req() request: FastifyRequest) {
    return this.addAlias('person', id, body, request);
  }

  @Post('organizations/:id/aliases')
  @HttpCode(200)
  @AnswersLogPosition(ADDED)
  addOrganizationAlias(@Param('id') id: string, @Body() body: AddAliasDto, @Req() request: FastifyRequest) {
    return this.addAlias('organization', id, body, request);
  }

  @Post('persons/:id/merge')
  @HttpCode(200)
  @AnswersLogPosition(MERGED)
  mergePerson(@Param('id') id: string, @Body() body: MergeSubjectDto, @Req() request: FastifyRequest) {
    return this.merge('person', id, body, request);
  }

  @Post('organizations/:id/merge')
  @HttpCode(200)
  @AnswersLogPosition(MERGED)
  mergeOrganization(@Param('id') id: string, @Body() body: MergeSubjectDto, @Req() request: FastifyRequest) {
    return this.merge('organization', id, body, request);
  }

  @Post('persons/:id/unmerge')
  @HttpCode(200)
  @AnswersLogPosition(UNMERGED)
  unmergePerson(@Param('id') id: string, @Body() body: UnmergeSubjectDto, @Req() request: FastifyRequest) {
    return this.unmerge('person', id, body, request);
  }

  @Post('organizations/:id/unmerge')
  @HttpCode(200)
  @AnswersLogPosition(UNMERGED)
  unmergeOrganization(@Param('id') id: string, @Body() body: UnmergeSubjectDto, @Req() request: FastifyRequest) {
    return this.unmerge('organization', id, body, request);
  }

  private addAlias(subject: Subject, id: string, body: AddAliasDto, request: FastifyRequest): Promise<AliasResult> {
    return this.commandBus.execute(new AddAlias(subject, existing(subject, id), body.name, String(request.id)));
  }

  private merge(subject: Subject, id: string, body: MergeSubjectDto, request: FastifyRequest): Promise<MergeResult> {
    return this.commandBus.execute(
      new MergeSubject(subject, existing(subject, id), body.into, body.reason, String(request.id)),
    );
  }

  private unmerge(
    subject: Subject,
    id: string,
    body: UnmergeSubjectDto,
    request: FastifyRequest,
  ): Promise<UnmergeResult> {
    return this.commandBus.execute(
      new UnmergeSubject(subject, existing(subject, id), body?.reason, String(request.id)),
    );
  }
}

/** An id in the path that is no uuid names no one. */
function existing(subject: Subject, id: string): string {
  if (!isUUID(id)) throw new NotFoundException(`no ${subject} has this id`);
  return id;
}
