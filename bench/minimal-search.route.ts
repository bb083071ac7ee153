import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GENERIC_PLAN_POOL, type GenericPlanPool } from '@vigil/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminTokenGuard } from '../apps/api/src/admin-auth/admin-token.guard';
import { searchKey } from '../apps/api/src/read-models/subject-search';

/** Where the bench's minimal search listens, next to the real one on the same server. */
export const MINIMAL_SEARCH_PATH = '/bench/minimal-search';

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
      const { rows } = await pool.query({
        name: 'bench-minimal-search',
        text: SEARCH,
        values: [searchKey(q ?? ''), Number(limit ?? 20)],
      });
      return reply.send({ items: rows });
    });
}
