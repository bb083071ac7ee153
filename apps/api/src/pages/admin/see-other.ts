import type { FastifyReply } from 'fastify';

/** Post/Redirect/Get: a 303 to the page that shows the result, so a reload does not send the form again. */
export function seeOther(reply: FastifyReply, location: string): string {
  void reply.status(303).header('location', location).header('cache-control', 'no-store');
  return '';
}
