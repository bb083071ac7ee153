import { HttpException, Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { atLogPosition, LOG_POSITION_HEADER } from '../../http/log-position';
import { RequestValidationError } from '../../http/request-validation.error';
import type { FieldError } from '../../http/validation-errors';

/** A list answer of the admin API (docs/api.md, "Lists"). */
export interface ApiPage<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | undefined>;

/**
 * The console's only way to the data: the admin API itself, called in this process through Fastify's
 * `inject` with the admin bearer token (docs/decisions/0020-admin-console-sessions.md). Every console action
 * therefore passes the very route, validation, command handler and error mapping an API client would —
 * there is no second path to read or change anything. A refusal of the API is thrown again as the same kind
 * of error, so the console answers it with the same status, as a page. An answer's `Vigil-Log-Position` comes
 * with its body (logPositionOf), for the console to wait until the projections have read the write.
 */
@Injectable()
export class AdminApi {
  private readonly authorization: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(VIGIL_CONFIG) config: Pick<VigilConfig, 'adminToken'>,
  ) {
    this.authorization = `Bearer ${config.adminToken}`;
  }

  get<T>(from: FastifyRequest, path: string, query: Query = {}): Promise<T> {
    return this.call<T>(from, 'GET', withQuery(path, query));
  }

  post<T>(from: FastifyRequest, path: string, body: object = {}, headers: Record<string, string> = {}): Promise<T> {
    return this.call<T>(from, 'POST', path, body, headers);
  }

  delete(from: FastifyRequest, path: string): Promise<void> {
    return this.call<void>(from, 'DELETE', path);
  }

  private async call<T>(
    from: FastifyRequest,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const answer = await fastify.inject({
      method,
      url,
      headers: {
        authorization: this.authorization,
        // The console request's id, so the log ties the API call to the page that made it.
        'x-request-id': String(from.id),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    const parsed: unknown = answer.body ? JSON.parse(answer.body) : undefined;
    if (answer.statusCode >= 400) throw refusal(answer.statusCode, parsed);
    const position = answer.headers[LOG_POSITION_HEADER.toLowerCase()];
    if (typeof parsed === 'object' && parsed !== null && typeof position === 'string') {
      return atLogPosition(parsed, Number(position)) as T;
    }
    return parsed as T;
  }
}

function withQuery(path: string, query: Query): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** The API's problem+json as the error the console's error page renders with the same status. */
function refusal(status: number, body: unknown): Error {
  const problem = (body ?? {}) as { detail?: string; title?: string; errors?: FieldError[] };
  if (status === 400 && Array.isArray(problem.errors) && problem.errors.length) {
    return new RequestValidationError(problem.errors);
  }
  return new HttpException(problem.detail ?? problem.title ?? 'the admin API refused the request', status);
}
