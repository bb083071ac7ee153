import {
  applyDecorators,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/**
 * The answer header of a write (docs/api.md, "Reading your own writes"): the log position of the first event the
 * action appended or, when it appended nothing (a retry, a second dismissal), of the event its answer rests on.
 * A client waits for `GET /v1/admin/projections?position=` to say `passed` before it reads the read models.
 */
export const LOG_POSITION_HEADER = 'Vigil-Log-Position';

// A symbol key: JSON leaves it out, so the answer's body is what it always was.
const LOG_POSITION = Symbol('log position');

/** An answer that may carry the log position its write left (read by LogPositionHeader, never serialised). */
export type AtLogPosition<T> = T & { readonly [LOG_POSITION]?: number };

/** `answer`, carrying `position` for the header; none (nothing appended, nothing to wait for) leaves it as it is. */
export function atLogPosition<T extends object>(answer: T, position: number | undefined): AtLogPosition<T> {
  return position === undefined ? answer : Object.assign(answer, { [LOG_POSITION]: position });
}

/** The log position an answer carries, if any. */
export const logPositionOf = (answer: unknown): number | undefined =>
  typeof answer === 'object' && answer !== null ? (answer as AtLogPosition<object>)[LOG_POSITION] : undefined;

/** Puts the log position an answer carries (atLogPosition) in the `Vigil-Log-Position` header, for every route. */
@Injectable()
export class LogPositionHeader implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((answer: unknown) => {
        const position = logPositionOf(answer);
        if (position !== undefined) {
          void context.switchToHttp().getResponse<FastifyReply>().header(LOG_POSITION_HEADER, String(position));
        }
        return answer;
      }),
    );
  }
}

/**
 * The header in the route's OpenAPI description, on each of its success answers (`answers`: status and what it
 * means). A route described this way lists every success status it answers: a described answer replaces the
 * one OpenAPI would have guessed from the method.
 */
export const AnswersLogPosition = (...answers: { status: number; description: string }[]): MethodDecorator =>
  applyDecorators(
    ...answers.map(({ status, description }) =>
      ApiResponse({
        status,
        description,
        headers: {
          [LOG_POSITION_HEADER]: {
            description:
              'The log position of the first event the action appended, or of the event its answer rests on when it ' +
              'appended nothing; absent when the answer rests on nothing new. Wait for it with ' +
              '`GET /v1/admin/projections?position=`.',
            required: false,
            schema: { type: 'integer', minimum: 1 },
          },
        },
      }),
    ),
  );
