import type { FastifyInstance } from 'fastify';
import type { Logger } from '@vigil/platform';

/**
 * One JSON line per request. The query string is left out: confirmation and unsubscribe tokens travel
 * there, and headers (bearer tokens, signatures) are never logged at all.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', async (request, reply) => {
    logger.info(
      {
        requestId: request.id,
        method: request.method,
        path: request.url.split('?')[0],
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
