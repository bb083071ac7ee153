import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { VigilConfig } from '@vigil/platform';

const REFERRER_POLICY = 'no-referrer';

/**
 * The floor for every problem answer, set where helmet's hook has not run: Fastify's router answers a path it
 * cannot decode or a parameter too long before any hook (`frameworkErrors` in api-app.ts), and its 404 for a
 * method no route takes with such a path skips helmet too. A problem+json body needs these: no sniffing it into
 * HTML, no referrer, nothing to load or frame.
 */
export const ERROR_ANSWER_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': REFERRER_POLICY,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * Headers on every answer. Tokens travel in URLs (confirm, unsubscribe, manage), so no page may tell another
 * site where it came from: `Referrer-Policy: no-referrer`. Pages load nothing from elsewhere and may not be
 * framed. HSTS only where Vigil is served over https, or a local http try-out would be locked out.
 */
export function securityHeaders(config: VigilConfig): FastifyHelmetOptions {
  const https = config.publicBaseUrl.startsWith('https:');
  return {
    global: true,
    referrerPolicy: { policy: REFERRER_POLICY },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        // The OpenAPI page (/docs) draws its icons as data: images and styles its own elements inline.
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  };
}
