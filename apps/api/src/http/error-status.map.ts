import { HttpException } from '@nestjs/common';
import {
  BlankNameError,
  DomainError,
  IncidentAlreadyRetractedError,
  IncidentNotFoundError,
  IncidentRetractedError,
  InvalidIncidentError,
  UnknownMergeTargetError,
  MergeIntoItselfError,
  SubjectNotFoundError,
  UnknownSubjectError,
} from '@vigil/domain';
import { StreamVersionConflictError } from '@vigil/event-store';
import { isDependencyUnavailable, problem, UNAVAILABLE_RETRY_AFTER_SECONDS, type Problem } from '@vigil/platform';
import { ReportIdReusedError } from '../intake/report-id-reused.error';
import { CsrfRejectedError } from '../pages/foundation/csrf-rejected.error';
import { RateLimitedError } from './rate-limited.error';
import { RequestValidationError } from './request-validation.error';

/** Errors raised by Fastify itself before a route runs (body parsing, limits). */
interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is larger than 64 KiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the request body must be application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the JSON body is empty',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the content length does not match the body',
};

/** Domain errors by kind; any other domain rule broken is a 409 (the request conflicts with the state). */
const DOMAIN_STATUS: [abstract new (...args: never[]) => DomainError, number][] = [
  [IncidentNotFoundError, 404],
  [IncidentRetractedError, 409],
  [IncidentAlreadyRetractedError, 409],
  [InvalidIncidentError, 400],
  [UnknownSubjectError, 400],
  // The incident to merge into is named in the body: a bad field, like a report naming an unknown person.
  [UnknownMergeTargetError, 400],
  [BlankNameError, 400],
  [SubjectNotFoundError, 404],
  [MergeIntoItselfError, 400],
  // SubjectMergedError, SubjectNotMergedError, NameKeyTakenError: 409, as every other broken rule
];

/**
 * The one place where errors become HTTP answers (docs/architecture.md, "Errors"). Libraries and the domain
 * throw their own typed errors; features add their mappings here. Returns undefined for an unknown
 * error, which the filter answers as a 500 without internals.
 */
export function toProblem(error: unknown): Problem | undefined {
  if (error instanceof RequestValidationError) {
    return problem(400, error.message, { errors: error.errors });
  }
  if (error instanceof DomainError) {
    return problem(DOMAIN_STATUS.find(([type]) => error instanceof type)?.[1] ?? 409, error.message, {
      code: error.code,
    });
  }
  if (error instanceof ReportIdReusedError) return problem(409, error.message);
  if (error instanceof CsrfRejectedError) return problem(403, error.message);
  if (error instanceof RateLimitedError) return problem(429, error.message, { retryAfter: error.retryAfterSeconds });
  if (error instanceof StreamVersionConflictError) {
    return problem(409, 'the resource was changed by another request; try again');
  }
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
    // A 503 always says when to come back (the readiness probe answers one).
    const status = error.getStatus();
    return problem(status, detail, status === 503 ? { retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS } : {});
  }
  if (isDependencyUnavailable(error)) {
    return problem(503, 'Vigil cannot reach its database or queue right now; nothing was changed, try again shortly', {
      retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
  }
  const fastifyError = error as FastifyLikeError;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const detail =
      (fastifyError.code && FASTIFY_DETAILS[fastifyError.code]) ??
      (error instanceof SyntaxError ? `the body is not valid JSON: ${error.message}` : fastifyError.message);
    return problem(fastifyError.statusCode, detail);
  }
  return undefined;
}
