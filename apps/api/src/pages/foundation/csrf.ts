import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { CsrfRejectedError } from './csrf-rejected.error';

export const CSRF_COOKIE = 'vigil_csrf';
/** The hidden field every page form carries. */
export const CSRF_FIELD = '_csrf';

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The value of one cookie of the request's Cookie header, if it is there once. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie ?? '';
  const found = header
    .split(';')
    .map((pair) => pair.trim().split('='))
    .filter(([key]) => key === name);
  return found.length === 1 ? found[0].slice(1).join('=') : undefined;
}

/**
 * CSRF tokens for every page form: a signed double submit (docs/decisions/0019-pages-from-escaping-tagged-templates.md).
 * The browser holds a random value in an HttpOnly, SameSite=Strict cookie; each form carries the HMAC of that
 * value under a key derived from SECRETS_KEY. A POST passes only when the field is the HMAC of the cookie it came
 * with: another site can neither read the cookie nor compute the field, and a cookie it plants (a sibling
 * subdomain can) does not match a field it cannot sign. Nothing is stored on the server, so any API instance
 * checks any form. A session (the admin console) may bind its tokens to its own id with `tokenFor(bound)`.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;
  private readonly secureCookie: boolean;

  constructor(@Inject(VIGIL_CONFIG) config: Pick<VigilConfig, 'secretsKey' | 'publicBaseUrl'>) {
    this.key = createHmac('sha256', config.secretsKey).update('vigil csrf tokens v1').digest();
    this.secureCookie = config.publicBaseUrl.startsWith('https:');
  }

  /** The token for this browser's forms; sets its cookie first when the browser has none (or a malformed one). */
  issue(request: FastifyRequest, reply: FastifyReply): string {
    let value = readCookie(request, CSRF_COOKIE);
    if (!value || !COOKIE_VALUE.test(value)) {
      value = randomBytes(32).toString('base64url');
      void reply.header('set-cookie', this.cookie(value));
    }
    return this.tokenFor(value);
  }

  /** Throws CsrfRejectedError (403) unless `token` is the signature of the request's cookie. */
  verify(request: FastifyRequest, token: unknown): void {
    const value = readCookie(request, CSRF_COOKIE);
    if (!value || !COOKIE_VALUE.test(value) || typeof token !== 'string') throw new CsrfRejectedError();
    const expected = Buffer.from(this.tokenFor(value));
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CsrfRejectedError();
  }

  /** The token bound to a value the caller keeps secret per browser (the cookie, or a session id). */
  tokenFor(bound: string): string {
    return createHmac('sha256', this.key).update(bound).digest('base64url');
  }

  private cookie(value: string): string {
    // No Max-Age: a session cookie, gone when the browser closes; nothing about the visitor outlives the visit.
    return `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${this.secureCookie ? '; Secure' : ''}`;
  }
}
