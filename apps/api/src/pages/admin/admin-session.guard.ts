import { timingSafeEqual } from 'node:crypto';
import { ArgumentsHost, Catch, CanActivate, ExceptionFilter, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VigilConfig } from '@vigil/platform';
import { CSRF_FIELD, CsrfRejectedError, CsrfTokens, languageOf, readCookie, withLanguage } from '../foundation';
import { AdminSessions, SESSION_SECONDS } from './admin-sessions';

/** The console's session cookie: only sent to /admin paths, never readable by a script, never to another site. */
export const SESSION_COOKIE = 'vigil_admin';

export const sessionIdOf = (request: FastifyRequest): string | undefined => readCookie(request, SESSION_COOKIE);

export function sessionCookie(config: Pick<VigilConfig, 'publicBaseUrl'>, id: string | undefined): string {
  const secure = config.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
  const life = id ? `Max-Age=${SESSION_SECONDS}` : 'Max-Age=0';
  return `${SESSION_COOKIE}=${id ?? ''}; Path=/admin; ${life}; HttpOnly; SameSite=Strict${secure}`;
}

/** A console page was asked for without a live session: the browser is sent to the sign-in form. */
export class SignInRequiredError extends Error {
  constructor() {
    super('sign in to use the admin console');
  }
}

/** Answers SignInRequiredError with a 303 to the sign-in form, in the language the page was asked in. */
@Catch(SignInRequiredError)
export class SignInRedirectFilter implements ExceptionFilter {
  catch(_error: SignInRequiredError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    void http
      .getResponse<FastifyReply>()
      .status(303)
      .header('location', withLanguage('/admin/sign-in', languageOf(request)))
      .header('cache-control', 'no-store')
      .send();
  }
}

/**
 * Every console route but the sign-in: a live session (else to the sign-in form), and on every POST the CSRF
 * token bound to that session (else 403, nothing done). The token is the HMAC of the session id, so a form
 * from another session, or from before signing in again, is refused too.
 */
@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: AdminSessions,
    private readonly csrf: CsrfTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const id = sessionIdOf(request);
    if (!id || !(await this.sessions.isLive(id))) throw new SignInRequiredError();
    if (request.method === 'POST') {
      const given = ((request.body ?? {}) as Record<string, unknown>)[CSRF_FIELD];
      const expected = Buffer.from(this.csrf.tokenFor(id));
      const token = Buffer.from(typeof given === 'string' ? given : '');
      if (token.length !== expected.length || !timingSafeEqual(token, expected)) throw new CsrfRejectedError();
    }
    return true;
  }
}

/** The CSRF token of the forms of this session's pages. */
@Injectable()
export class ConsoleCsrf {
  constructor(private readonly csrf: CsrfTokens) {}

  tokenOf(request: FastifyRequest): string {
    return this.csrf.tokenFor(sessionIdOf(request) ?? '');
  }
}
