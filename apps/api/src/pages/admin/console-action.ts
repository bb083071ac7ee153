import { HttpException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { logPositionOf } from '../../http/log-position';
import { RequestValidationError } from '../../http/request-validation.error';
import { pageContext } from '../foundation';
import { ConsoleCsrf } from './admin-session.guard';
import type { Reply } from './console-forms';
import { ReadYourWrites } from './read-your-writes';
import { seeOther } from './see-other';
import { afterAction, type ConsoleContext, type Refusal } from './screens/console-page';

/**
 * The API's refusal of an action an admin can correct (a field, an id, a conflict), if its status is one of
 * `statuses`, to show on the page that asked; any other error (429, 503 …) is left to the error page.
 */
export function refusalOf(error: unknown, statuses: readonly number[]): Refusal | undefined {
  if (error instanceof RequestValidationError) return { status: 400, detail: error.message, errors: error.errors };
  if (error instanceof HttpException && statuses.includes(error.getStatus())) {
    return { status: error.getStatus(), detail: error.message };
  }
  return undefined;
}

/**
 * An action of the console: its result (a see-other), or, when the API refuses it with one of `statuses`, the page
 * `show` gives for that refusal; any other error is thrown, to the error page.
 */
export async function orRefusal(
  action: () => Promise<string>,
  statuses: readonly number[],
  show: (refusal: Refusal) => Promise<string>,
): Promise<string> {
  try {
    return await action();
  } catch (error) {
    const refusal = refusalOf(error, statuses);
    if (!refusal) throw error;
    return show(refusal);
  }
}

/** What every console controller does around the admin API: a page's context, and the end of an action. */
@Injectable()
export class ConsolePages {
  constructor(
    private readonly csrf: ConsoleCsrf,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** A page's context; `here` is the page a refused POST shows (a GET shows itself). */
  context(request: FastifyRequest, here?: string): ConsoleContext {
    return { ...pageContext(request, here), csrf: this.csrf.tokenOf(request) };
  }

  /**
   * Waits until each of the read models the next page shows has passed the append of the API's `answer` (its
   * `Vigil-Log-Position`, see ReadYourWrites); false if one has not in time. An answer without one appended
   * nothing and rests on nothing new: nothing to wait for.
   */
  async settle(request: FastifyRequest, projections: readonly string[], answer: unknown): Promise<boolean> {
    const position = logPositionOf(answer);
    if (position === undefined || !projections.length) return true;
    return this.readYourWrites.settle(request, projections, position);
  }

  /**
   * Post/Redirect/Get after an action: the read models of `settled` read the action's `answer`, then a 303 to
   * `path` with its notice, and a word that the page may be behind if they did not in time.
   */
  async done(
    request: FastifyRequest,
    reply: Reply,
    path: string,
    notice: string,
    settled: readonly string[] = [],
    answer?: unknown,
  ): Promise<string> {
    const shown = await this.settle(request, settled, answer);
    return seeOther(reply, afterAction(pageContext(request), path, notice, !shown));
  }
}
