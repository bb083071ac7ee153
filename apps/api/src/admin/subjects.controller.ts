import {
  applyDecorators,
  Controller,
  Get,
  Headers,
  Inject,
  NotFoundException,
  Param,
  Query,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Pool } from 'pg';
import { GENERIC_PLAN_POOL, PG_POOL, type GenericPlanPool } from '@vigil/platform';
import { SendsJsonText, type JsonBytes } from '../http/json-text';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { ListQueryDto } from '../http/list-query.dto';
import { similarSubjects } from '../read-models/review-read-model';
import { listSubjects, subjectExists, type SubjectKind } from '../read-models/subject-read-model';
import { SubjectViews } from '../read-models/subject-views';
import { SubjectListQueryDto } from '../read-models/subject-list-query.dto';

/** A view's conditional request, in the OpenAPI description: the tag it was given, and 304 while it holds. */
const ConditionalView = () =>
  applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of a view already held, or *' }),
    ApiResponse({ status: 304, description: 'the view held is still the view: no body, its ETag' }),
  );

/** Rank (how a search matched, 0 without one), name, id: see RankedNameKey. */
const nameCursor = (list: string) => new ListCursor(list, { rank: KEY.smallint, name: KEY.text(1000), id: KEY.uuid });
const CURSORS: Record<SubjectKind, ReturnType<typeof nameCursor>> = {
  person: nameCursor('persons'),
  organization: nameCursor('organizations'),
};
/** Rank (the reason's strength), name, id: see similarSubjects. */
const SIMILAR_CURSORS: Record<SubjectKind, ReturnType<typeof nameCursor>> = {
  person: nameCursor('similar-persons'),
  organization: nameCursor('similar-organizations'),
};

/** Persons and organisations, searchable by the beginning of any word of any name or alias, best match first. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin')
export class SubjectsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GENERIC_PLAN_POOL) private readonly genericPlans: GenericPlanPool,
    private readonly views: SubjectViews,
  ) {}

  @Get('persons')
  @UseInterceptors(SendsJsonText)
  listPersons(@Query() query: SubjectListQueryDto): Promise<Page<object>> {
    return this.list('person', query);
  }

  @Get('persons/:id')
  @UseInterceptors(SendsJsonText)
  @ConditionalView()
  getPerson(
    @Param('id') id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonBytes | undefined> {
    return this.answer('person', id, ifNoneMatch, reply);
  }

  /** Others whose names may denote the same person, each with the reason; never merged by this. */
  @Get('persons/:id/similar')
  similarPersons(@Param('id') id: string, @Query() query: ListQueryDto): Promise<Page<object>> {
    return this.similar('person', id, query);
  }

  @Get('organizations')
  @UseInterceptors(SendsJsonText)
  listOrganizations(@Query() query: SubjectListQueryDto): Promise<Page<object>> {
    return this.list('organization', query);
  }

  @Get('organizations/:id')
  @UseInterceptors(SendsJsonText)
  @ConditionalView()
  getOrganization(
    @Param('id') id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonBytes | undefined> {
    return this.answer('organization', id, ifNoneMatch, reply);
  }

  @Get('organizations/:id/similar')
  similarOrganizations(@Param('id') id: string, @Query() query: ListQueryDto): Promise<Page<object>> {
    return this.similar('organization', id, query);
  }

  private async list(kind: SubjectKind, { q, limit, cursor }: SubjectListQueryDto): Promise<Page<object>> {
    const after = CURSORS[kind].decode(cursor);
    return CURSORS[kind].page(
      await listSubjects({ pool: this.pool, genericPlans: this.genericPlans }, kind, { q, limit, after }),
    );
  }

  private async similar(kind: SubjectKind, id: string, { limit, cursor }: ListQueryDto): Promise<Page<object>> {
    const after = SIMILAR_CURSORS[kind].decode(cursor);
    // Only whether the subject is there: its view (a famous prisoner's is 1.5 MB) is not read for a 404.
    if (!isUUID(id) || !(await subjectExists(this.pool, kind, id)))
      throw new NotFoundException(`no ${kind} has this id`);
    return SIMILAR_CURSORS[kind].page(await similarSubjects(this.pool, kind, id, limit, after));
  }

  /**
   * A subject's view with its entity tag (`ETag`), or 304 without a body to a client whose `If-None-Match` names
   * it: nothing the view shows has changed since.
   */
  private async answer(
    kind: SubjectKind,
    id: string,
    ifNoneMatch: string | undefined,
    reply: FastifyReply,
  ): Promise<JsonBytes | undefined> {
    const subject = isUUID(id) ? await this.views.find(kind, id, ifNoneMatch) : undefined;
    if (!subject) throw new NotFoundException(`no ${kind} has this id`);
    const { entityTag, view } = subject;
    if (entityTag) void reply.header('etag', entityTag);
    if (view !== 'unchanged') return view;
    void reply.status(304);
    return undefined;
  }
}
