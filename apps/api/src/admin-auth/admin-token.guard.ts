import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BearerToken, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { clientKey } from '../http/client-address';
import { RateLimitedError } from '../http/rate-limited.error';
import { AdminAuthFailures } from './admin-auth-failures';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. A client address that failed too
 * often is refused with 429 before its token is even looked at, so guessing stops there; a success costs
 * nothing, so an admin working from the same address as a guesser is held back only while the guesser is.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly token: BearerToken;

  constructor(
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    private readonly failures: AdminAuthFailures,
  ) {
    this.token = new BearerToken(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const client = clientKey(request);
    const wait = this.failures.waitBeforeNextTry(client);
    if (wait !== undefined) throw new RateLimitedError(wait, 'too many failed admin sign-ins from this address');
    if (!this.token.matches(request.headers.authorization)) {
      this.failures.count(client);
      throw new UnauthorizedException('a valid admin bearer token is required');
    }
    return true;
  }
}
