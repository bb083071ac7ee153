import { Controller, Get, Inject, Module, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GENERIC_PLAN_POOL, type GenericPlanPool } from '@vigil/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminAuthModule } from '../apps/api/src/admin-auth/admin-auth.module';
import { AdminTokenGuard } from '../apps/api/src/admin-auth/admin-token.guard';
import { SendsJsonText } from '../apps/api/src/http/json-text';
import { searchKey } from '../apps/api/src/read-models/subject-search';
import { SubjectListQueryDto } from '../apps/api/src/read-models/subject-list-query.dto';

/** Where the bench's minimal search listens, next to the real one on the same server. */
export const MINIMAL_SEARCH_PATH = '/bench/minimal-search';
/** The same search as a Nest route: the API's own stack, what every admin read goes through. */
export const MINIMAL_NEST_SEARCH_PATH = '/bench/minimal-nest-search';

/**
 * One range of one index (the word rank of read_name_words, in the order a page lists it) and the names of the
 * rows it finds: what any word-prefix search must read, with no ranks, no merge groups, no status or view.
 */
const SEARCH = `
  SELECT w.subject_id AS id, p.name
    FROM read_name_words w
    JOIN read_persons p ON p.id = w.subject_id
   WHERE w.subject = 'person' AND w.rank = 2
     AND w.key >= $1::text AND w.key < $1::text || chr(1114111)
   ORDER BY w.key, w.subject_id
   LIMIT $2`;

/**
 * The search bench's floor (docs/api.md has the real search): a bare route on the same Fastify instance as the
 * API (the same hooks, helmet headers and request logging) that runs the production AdminTokenGuard and the
 * search's own normalisation of `q`, then one named statement on the same generic-plan pool the search uses,
 * and answers the rows as JSON. What a word-prefix search over HTTP costs on this machine before Vigil's ranks,
 * merge groups and views: the p99 no search can beat here. Registered only by the bench, between init and
 * listen, so production never serves it.
 */
export function registerMinimalSearch(app: NestFastifyApplication): void {
  const pool = app.get<GenericPlanPool>(GENERIC_PLAN_POOL);
  const guard = app.get(AdminTokenGuard);
  app
    .getHttpAdapter()
    .getInstance()
    .get(MINIMAL_SEARCH_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
      guard.canActivate(new ExecutionContextHost([request, reply]));
      const { q, limit } = request.query as { q?: string; limit?: string };
      return reply.send({ items: await minimalSearch(pool, q ?? '', Number(limit ?? 20)) });
    });
}

const minimalSearch = async (pool: GenericPlanPool, q: string, limit: number): Promise<unknown[]> =>
  (await pool.query({ name: 'bench-minimal-search', text: SEARCH, values: [searchKey(q), limit] })).rows;

/**
 * The same minimal search as a controller of the API (createApiApp's `extraModules`), so that it goes through
 * everything the real search's route does before and after its statement: Nest's router, the global validation
 * pipe with the search's own query class, the AdminTokenGuard, the app's interceptors and SendsJsonText, the
 * problem filter. What the stack costs a read, measured beside the real search and the bare route.
 */
@UseGuards(AdminTokenGuard)
@Controller()
class MinimalNestSearchController {
  constructor(@Inject(GENERIC_PLAN_POOL) private readonly pool: GenericPlanPool) {}

  @Get(MINIMAL_NEST_SEARCH_PATH)
  @UseInterceptors(SendsJsonText)
  async search(@Query() { q, limit }: SubjectListQueryDto): Promise<object> {
    return { items: await minimalSearch(this.pool, q ?? '', limit), nextCursor: null };
  }
}

@Module({ imports: [AdminAuthModule], controllers: [MinimalNestSearchController] })
export class MinimalNestSearchModule {}
