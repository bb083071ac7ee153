import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BearerToken, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { AdminAuthFailures } from '../../admin-auth/admin-auth-failures';
import { clientKey } from '../../http/client-address';
import { RateLimitedError } from '../../http/rate-limited.error';
import { CsrfTokens, pageContext, sendPage, withLanguage, languageOf } from '../foundation';
import { AdminSessions } from './admin-sessions';
import { sessionCookie, sessionIdOf } from './admin-session.guard';
import { seeOther } from './see-other';
import { signInPage } from './screens/sign-in';

/**
 * Signing in to the console with ADMIN_TOKEN (docs/console.md). Failed tries count against the same
 * per-address limit as a wrong bearer token on the admin API, so the form is no easier to guess through.
 */
@ApiExcludeController()
@Controller('admin')
export class SignInController {
  private readonly token: BearerToken;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly sessions: AdminSessions,
    private readonly csrf: CsrfTokens,
    private readonly failures: AdminAuthFailures,
  ) {
    this.token = new BearerToken(config.adminToken);
  }

  @Get('sign-in')
  @RouteConfig({ page: true })
  async form(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (await this.sessions.isLive(sessionIdOf(request))) {
      return seeOther(reply, withLanguage('/admin', languageOf(request)));
    }
    return sendPage(reply, signInPage(pageContext(request), this.csrf.issue(request, reply)));
  }

  @Post('sign-in')
  @HttpCode(200)
  @RouteConfig({ page: true, acceptsForms: true })
  async signIn(
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    this.csrf.verify(request, body?._csrf);
    const client = clientKey(request);
    const wait = this.failures.waitBeforeNextTry(client);
    if (wait !== undefined) throw new RateLimitedError(wait, 'too many failed admin sign-ins from this address');
    const given = typeof body?.token === 'string' ? body.token : '';
    if (!this.token.matches(`Bearer ${given}`)) {
      this.failures.count(client);
      return sendPage(
        reply,
        signInPage(pageContext(request, '/admin/sign-in'), this.csrf.issue(request, reply), true),
        401,
      );
    }
    const id = await this.sessions.start();
    void reply.header('set-cookie', sessionCookie(this.config, id));
    return seeOther(reply, withLanguage('/admin', languageOf(request)));
  }
}
