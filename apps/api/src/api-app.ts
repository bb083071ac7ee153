import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NestPinoLogger, type Logger, type Metrics, type VigilConfig } from '@vigil/platform';
import { ApiModule } from './api.module';
import helmet from '@fastify/helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { restrictBodies } from './http/content-types';
import { sendProblem } from './http/problem-details.filter';
import { securityHeaders } from './http/security-headers';
import { logRequests } from './http/request-logging';
import { createValidationPipe } from './http/validation.pipe';

/** A body of at most 64 KiB, else 413 (docs/api.md, "Limits"). */
export const BODY_LIMIT_BYTES = 64 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const REQUEST_TIMEOUT_MS = 10_000;
const CONNECTION_TIMEOUT_GRACE_MS = 15_000;

/**
 * Builds the API application without listening, so main.ts and the e2e tests start the very same thing.
 * Migrations are the caller's job (main.ts runs them under their lock before this). `extraModules` are a
 * bench's own routes, served through the same pipeline (ApiModule.forRoot); production passes none.
 */
export async function createApiApp(
  config: VigilConfig,
  logger: Logger,
  metrics?: Metrics,
  extraModules: Type[] = [],
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // X-Forwarded-For is believed only from the proxies an operator named (TRUST_PROXY); by default nobody's.
    trustProxy: config.trustProxy,
    // A client must send its whole request within this (slow-loris), and a silent socket is closed after
    // connectionTimeout, which is longer than the database's statement timeout so no handler is cut off.
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: config.databaseTimeouts.statementMs + CONNECTION_TIMEOUT_GRACE_MS,
    // A path Fastify cannot decode (`%ZZ`: FST_ERR_BAD_URL) or a path parameter over maxParamLength (414) is
    // answered by Fastify's router before any hook or Nest filter: in problem+json like every other error.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(request, reply, error, logger),
    // Keep a sane client-supplied request id so logs can be followed across systems.
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, logger, metrics, extraModules),
    adapter,
    {
      // The raw bytes are what partners sign; a re-serialised body would not verify.
      rawBody: true,
      logger: new NestPinoLogger(logger),
      bufferLogs: false,
    },
  );
  await app.register(helmet, securityHeaders(config));
  const fastify = app.getHttpAdapter().getInstance();
  restrictBodies(fastify);
  // Errors raised by Fastify itself (body too large, malformed JSON) reach Nest's error handler, and so
  // the ProblemDetailsFilter: the intake e2e specs check those answers.
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  logRequests(fastify, logger);

  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Vigil')
      .setDescription('Incident intake, subscriptions and the admin API of Vigil')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
