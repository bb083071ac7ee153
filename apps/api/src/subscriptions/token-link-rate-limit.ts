import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientKey } from '../http/client-address';
import { RateLimitedError } from '../http/rate-limited.error';
import { TokenBuckets } from '../http/token-buckets';

/**
 * Confirm and unsubscribe, the routes that look a mailed token up: 30 at once per client address, then
 * one a second (docs/api.md, "Limits"). A token cannot be guessed, but each try costs a lookup; a mail
 * provider posting one-click unsubscribes for many users from one address stays well within this.
 */
@Injectable()
export class TokenLinkRateLimit implements CanActivate {
  private readonly buckets = new TokenBuckets({ perSecond: 1, burst: 30, maxKeys: 10_000 });

  canActivate(context: ExecutionContext): boolean {
    const client = clientKey(context.switchToHttp().getRequest<FastifyRequest>());
    const wait = this.buckets.take(client);
    if (wait !== undefined)
      throw new RateLimitedError(wait, 'too many confirmations or unsubscriptions from this address');
    return true;
  }
}
