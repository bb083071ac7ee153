import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PG_POOL } from '@vigil/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { WebhookSignatureGuard } from '../apps/api/src/sources/webhook-signature.guard';

/** Where the bench's minimal intake listens, next to the real one on the same server. */
export const MINIMAL_INTAKE_PATH = '/bench/minimal-intake';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS bench_minimal_intake (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body bytea NOT NULL
)`;
const INSERT = 'INSERT INTO bench_minimal_intake (body) VALUES ($1)';

/**
 * The intake bench's ceiling (docs/api.md has the real intake): a bare route on the same Fastify instance as
 * the API (the same body limit, hooks, helmet headers, request logging and raw-body parser) that runs the
 * production WebhookSignatureGuard itself (the source's cached secrets, the Standard Webhooks check, the
 * per-source limit) and then inserts the raw body, one statement (one autocommit) per request, through the
 * API's own pool. No validation, no names, no events: what any signed request that stores something costs.
 * Registered only here, between init and listen, so production never serves it.
 */
export async function registerMinimalIntake(app: NestFastifyApplication): Promise<void> {
  const pool = app.get<Pool>(PG_POOL);
  await pool.query(CREATE_TABLE);
  const guard = app.get(WebhookSignatureGuard);
  app
    .getHttpAdapter()
    .getInstance()
    .post(`${MINIMAL_INTAKE_PATH}/:sourceId`, async (request: FastifyRequest, reply: FastifyReply) => {
      await guard.canActivate(new ExecutionContextHost([request, reply]));
      await pool.query({
        name: 'bench-minimal-intake',
        text: INSERT,
        values: [(request as { rawBody?: Buffer }).rawBody],
      });
      return reply.code(201).send({ accepted: true });
    });
}
