import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { VigilConfig } from '@vigil/platform';

/**
 * Headers on every answer. Tokens travel in URLs (confirm, unsubscribe, manage), so no page may tell another
 * site where it came from: `Referrer-Policy: no-referrer`. Pages load nothing from elsewhere and may not be
 * framed. HSTS only where Vigil is served over https, or a local http try-out would be locked out.
 */
export function securityHeaders(config: VigilConfig): FastifyHelmetOptions {
  const https = config.publicBaseUrl.startsWith('https:');
  return {
    global: true,
    referrerPolicy: { policy: 'no-referrer' },
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
