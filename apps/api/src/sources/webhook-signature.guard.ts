import { CanActivate, createParamDecorator, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { verifyStandardWebhook, WebhookVerificationError } from '@vigil/delivery';
import { RateLimitedError } from '../http/rate-limited.error';
import { SourceRateLimit } from './source-rate-limit';
import { SourceSecrets } from './source-secrets';

/** Who signed a partner's request, once WebhookSignatureGuard has let it through. */
export interface VerifiedSource {
  sourceId: string;
  /** `webhook-id`: the same on every retry of one delivery, so it keys the intake's idempotency. */
  webhookId: string;
}

// Keyed by the request object: nothing ambient on FastifyRequest, and nothing outlives the request.
const verified = new WeakMap<object, VerifiedSource>();

/** The source that signed this request; throws on a route the guard does not protect (a wiring mistake). */
export function verifiedSourceOf(request: object): VerifiedSource {
  const source = verified.get(request);
  if (!source) throw new Error('no verified source on this request: is the route behind WebhookSignatureGuard?');
  return source;
}

/** `@VerifiedSourceParam() source: VerifiedSource` in a handler behind WebhookSignatureGuard. */
export const VerifiedSourceParam = createParamDecorator((_: unknown, context: ExecutionContext) =>
  verifiedSourceOf(context.switchToHttp().getRequest<object>()),
);

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Standard Webhooks verification of `POST …/:sourceId` with the source's current or recently rotated-out
 * secret, over the raw bytes of the body. Every refusal is a 401, and an unknown or disabled source is
 * refused like a bad signature, so the answer does not reveal which sources exist. A verified request
 * then counts against its source's rate limit (429 past it).
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(
    private readonly sources: SourceSecrets,
    private readonly limit: SourceRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { rawBody?: Buffer }>();
    if (request.body !== undefined && !Buffer.isBuffer(request.rawBody)) {
      throw new Error('the raw body is missing: the app must be created with rawBody: true');
    }
    const sourceId = (request.params as { sourceId?: string } | undefined)?.sourceId;
    const now = new Date();
    const secrets = sourceId && isUUID(sourceId) ? await this.sources.validSecrets(sourceId, now) : [];
    const id = header(request, 'webhook-id');
    try {
      verifyStandardWebhook({
        id,
        timestamp: header(request, 'webhook-timestamp'),
        signatureHeader: header(request, 'webhook-signature'),
        rawBody: request.rawBody ?? Buffer.alloc(0),
        secrets,
        now,
      });
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const wait = this.limit.take(sourceId!);
    if (wait !== undefined) throw new RateLimitedError(wait, 'too many reports from this source');
    verified.set(request, { sourceId: sourceId!, webhookId: id! });
    return true;
  }
}
