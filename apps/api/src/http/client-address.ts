import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * The client's address, as far as it can be trusted: Fastify reads X-Forwarded-For only from the proxies
 * of TRUST_PROXY, but what such a proxy passes on may still be anything. Only a well-formed address is
 * taken; otherwise the address of the connection itself.
 */
export function clientAddress(request: FastifyRequest): string {
  if (isIP(request.ip)) return request.ip;
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * The key a client is counted under by rate limits. One IPv6 subscriber line gets a whole /64, so an
 * IPv6 client is counted by its /64 prefix, or it could take a new address for every request.
 */
export function rateLimitKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The rate-limit key of the client that sent this request: every limit counts clients this way. */
export const clientKey = (request: FastifyRequest): string => rateLimitKey(clientAddress(request));
