import { promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** A webhook URL or the address it resolves to must not be called (SSRF guard). No HTTP status here: callers map it. */
export class UnsafeWebhookTargetError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsafeWebhookTargetError';
  }
}

/** Resolves a host name to all its addresses; injectable so tests can play a rebinding DNS server. */
export type WebhookLookup = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: WebhookLookup = (hostname) => dns.lookup(hostname, { all: true });

export function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeWebhookTargetError('the webhook URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsafeWebhookTargetError(
      `the webhook URL must use http or https, not ${parsed.protocol.replace(/:$/, '')}`,
    );
  }
  // Credentials in a URL end up in logs and admin listings; receivers authenticate us by signature instead.
  if (parsed.username || parsed.password) {
    throw new UnsafeWebhookTargetError('the webhook URL must not contain credentials (user:password@)');
  }
  if (!parsed.hostname) throw new UnsafeWebhookTargetError('the webhook URL has no host');
  return parsed;
}

const ipv4Blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, with the cloud metadata endpoint 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  ipv4Blocked.addSubnet(net, prefix, 'ipv4');
}

const ipv6Blocked = new BlockList();
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64: whatever it translates to is the operator's own network
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local, still routed inside some networks
  ['ff00::', 8], // multicast
] as const) {
  ipv6Blocked.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a dotted IPv4 tail expanded). */
function ipv6Groups(ip: string): number[] {
  const [head, tail] = ip.split('%')[0].toLowerCase().split('::') as [string, string | undefined];
  const groups = (part: string | undefined): number[] =>
    (part ? part.split(':') : []).flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const ipv4Of = (high: number, low: number): string => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 one carries, where the network would take it there: IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96), SIIT (::ffff:0:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
function embeddedIPv4(groups: number[]): string | undefined {
  const zeros = (from: number, to: number): boolean => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) return ipv4Of(groups[6], groups[7]);
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return ipv4Of(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return ipv4Of(groups[6], groups[7]);
  if (groups[0] === 0x2002) return ipv4Of(groups[1], groups[2]);
  return undefined;
}

/** True when an address must not be called from the server: loopback, private, link-local, metadata, etc. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip.split('%')[0]);
  if (family === 4) return ipv4Blocked.check(ip, 'ipv4');
  // Not an IP at all: refuse rather than guess.
  if (family !== 6) return true;
  const groups = ipv6Groups(ip);
  const v4 = embeddedIPv4(groups);
  if (v4 !== undefined && ipv4Blocked.check(v4, 'ipv4')) return true;
  const canonical = groups.map((group) => group.toString(16)).join(':');
  return ipv6Blocked.check(canonical, 'ipv6');
}

export interface WebhookTarget {
  address: string;
  family: 4 | 6;
}

export interface ResolveOptions {
  allowPrivate: boolean;
  lookup?: WebhookLookup;
}

/**
 * Resolves the URL's host once and checks every address: a host with one public and one private address
 * could be answered with either later. The caller connects to the returned address, never resolving again.
 */
export async function resolveWebhookTarget(
  url: URL,
  { allowPrivate, lookup = systemLookup }: ResolveOptions,
): Promise<WebhookTarget> {
  // WHATWG URL has already turned 127.1, 0x7f.1 and the like into dotted quads; IPv6 keeps its brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  // RFC 6761: *.localhost is loopback whatever a resolver says.
  if (!allowPrivate && !literal && /(^|\.)localhost\.?$/i.test(host)) {
    throw new UnsafeWebhookTargetError(`the webhook host ${host} is a loopback name`);
  }
  const addresses: LookupAddress[] = literal ? [{ address: host, family: literal }] : await lookup(host);
  if (addresses.length === 0) throw Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' });
  if (!allowPrivate) {
    const blocked = addresses.find(({ address }) => isPrivateAddress(address));
    if (blocked) {
      throw new UnsafeWebhookTargetError(
        `the webhook host ${host} resolves to ${blocked.address}, a loopback, private, link-local or reserved address`,
      );
    }
  }
  const [first] = addresses;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
