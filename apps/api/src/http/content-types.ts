import type { FastifyInstance } from 'fastify';

interface BodyRules {
  /** HTML forms post here (confirmation and unsubscribe pages). */
  acceptsForms?: boolean;
  /** RFC 8058 one-click unsubscribes may come with any body. */
  acceptsAnyBody?: boolean;
}

const unsupported = () =>
  Object.assign(new Error('unsupported media type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });

/**
 * JSON bodies everywhere; forms and other bodies only on the routes that say so (@RouteConfig). Any other
 * body is a 415 before a handler runs.
 */
export function restrictBodies(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  // Unknown types are read (within the body limit) and set aside, so a route may accept them; others refuse them below.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
  fastify.addHook('preValidation', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!type || type === 'application/json' || type.endsWith('+json')) return;
    const rules = (request.routeOptions.config ?? {}) as BodyRules;
    if (rules.acceptsAnyBody) return;
    if (type === 'application/x-www-form-urlencoded' && rules.acceptsForms) return;
    throw unsupported();
  });
}
