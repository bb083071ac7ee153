import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER, PROBLEM_CONTENT_TYPE, problem, type Logger, type Problem } from '@vigil/platform';
import { toProblem } from './error-status.map';
import { isPageRoute, sendErrorPage } from '../pages/foundation/error-page';
import { ERROR_ANSWER_HEADERS } from './security-headers';

/** Answers every error as application/problem+json; an unknown error is a 500 that names only the request id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error, this.logger);
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown, logger: Logger): void {
  let body: Problem | undefined = toProblem(error);
  if (!body) {
    logger.error({ err: error, requestId: request.id }, 'unhandled error');
    body = problem(500, `an unexpected error occurred; quote request id ${request.id} when reporting it`, {
      requestId: request.id,
    });
  }
  // The admin API and /metrics take a bearer token; the partner webhook is signed instead.
  if (body.status === 401 && /^\/(v1\/admin|metrics)(?=[/?]|$)/.test(request.url)) {
    reply.header('www-authenticate', 'Bearer');
  }
  if (typeof body.retryAfter === 'number') reply.header('retry-after', String(body.retryAfter));
  // A person filled the form: the same status, as a page in their language.
  if (isPageRoute(request)) return sendErrorPage(request, reply, body);
  for (const [name, value] of Object.entries(ERROR_ANSWER_HEADERS)) {
    // helmet sets its headers on the raw response; a header it set stays as it set it.
    if (!reply.hasHeader(name) && !reply.raw.hasHeader(name)) reply.header(name, value);
  }
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}
