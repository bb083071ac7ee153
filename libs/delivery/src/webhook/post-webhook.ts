import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import {
  parseWebhookUrl,
  resolveWebhookTarget,
  UnsafeWebhookTargetError,
  type WebhookLookup,
  type WebhookTarget,
} from './webhook-target';

/** The receiver did not answer in time (connect and response together). Retried like a 5xx. */
export class WebhookTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the webhook receiver did not answer within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

/** The receiver could not be reached or dropped the connection: refused, reset, DNS or TLS failure. Retried. */
export class WebhookConnectionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebhookConnectionError';
  }
}

export interface WebhookResponse {
  status: number;
  /** At most maxResponseBytes of the answer, as UTF-8; a character cut at the limit is dropped. */
  body: string;
  truncated: boolean;
}

export interface PostWebhookOptions {
  url: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxResponseBytes?: number;
  allowPrivate: boolean;
  /** Aborts the request (a stopping worker cutting it): it fails as a WebhookConnectionError. */
  signal?: AbortSignal;
  /** Tests only: stands in for DNS. */
  lookup?: WebhookLookup;
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? 'ECONNECTION';

/** Hands the socket the address that was checked, so a second (rebindable) DNS answer never comes into it. */
function pinnedLookup({ address, family }: WebhookTarget): LookupFunction {
  return (_hostname, options, callback) => {
    // With autoSelectFamily (Node 20's default) net asks for all addresses at once.
    if (options.all)
      (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * POSTs once to a webhook receiver. Redirects are not followed (a 3xx is returned as the status), the answer
 * is read up to maxResponseBytes, and the target is checked against private addresses after DNS resolution.
 * Throws UnsafeWebhookTargetError, WebhookTimeoutError or WebhookConnectionError; never logs.
 */
export async function postWebhook({
  url,
  body,
  headers = {},
  timeoutMs = 10_000,
  maxResponseBytes = 65_536,
  allowPrivate,
  lookup,
  signal,
}: PostWebhookOptions): Promise<WebhookResponse> {
  const target = parseWebhookUrl(url);
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    // The DNS answer counts against the same deadline: a stalled resolver is a receiver that did not answer.
    const address = await Promise.race([
      resolveWebhookTarget(target, { allowPrivate, lookup }).catch((error: unknown) => {
        if (error instanceof UnsafeWebhookTargetError) throw error;
        throw new WebhookConnectionError(codeOf(error), `cannot resolve ${target.hostname}: ${codeOf(error)}`, {
          cause: error,
        });
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WebhookTimeoutError(timeoutMs)), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return await send(
      target,
      address,
      body,
      headers,
      Math.max(0, deadline - Date.now()),
      timeoutMs,
      maxResponseBytes,
      signal,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** At most this many connections to one partner host: with the queue's concurrency, no partner takes every slot. */
const SOCKETS_PER_HOST = 8;
const HTTP_AGENT = new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST, timeout: 30_000 });
const HTTPS_AGENT = new https.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST, timeout: 30_000 });

function send(
  target: URL,
  address: WebhookTarget,
  body: string | Uint8Array,
  headers: Record<string, string>,
  remainingMs: number,
  timeoutMs: number,
  maxResponseBytes: number,
  signal?: AbortSignal,
): Promise<WebhookResponse> {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const outgoing: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.toLowerCase() !== 'content-length') outgoing[name] = value;
  outgoing['content-length'] = String(payload.length);

  return new Promise<WebhookResponse>((resolve, reject) => {
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request({
      method: 'POST',
      // The host name stays in the request, so Host, SNI and the certificate check are the partner's, not the IP's.
      host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      headers: outgoing,
      lookup: pinnedLookup(address),
      // Kept-alive connections: a pooled socket was opened to an address checked when it connected; a new
      // one goes to the address checked for this request (pinnedLookup), never to a second lookup's answer.
      agent: target.protocol === 'https:' ? HTTPS_AGENT : HTTP_AGENT,
      signal,
    });
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new WebhookTimeoutError(timeoutMs)));
      request.destroy();
    }, remainingMs);

    request.on('error', (error) =>
      finish(() =>
        reject(new WebhookConnectionError(codeOf(error), `webhook request failed: ${codeOf(error)}`, { cause: error })),
      ),
    );
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const done = (truncated: boolean): void => {
        const raw = Buffer.concat(chunks, length);
        // write() without end() holds back a multi-byte character cut in half by the limit.
        const text = truncated ? new StringDecoder('utf8').write(raw) : raw.toString('utf8');
        finish(() => resolve({ status: response.statusCode ?? 0, body: text, truncated }));
      };
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = maxResponseBytes - length;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          length += room;
          done(true);
          // Stop reading: a receiver must not make us download more than we keep.
          request.destroy();
          return;
        }
        chunks.push(chunk);
        length += chunk.length;
      });
      response.on('end', () => done(false));
      response.on('error', (error) =>
        finish(() =>
          reject(
            new WebhookConnectionError(codeOf(error), `webhook response cut off: ${codeOf(error)}`, { cause: error }),
          ),
        ),
      );
    });
    request.end(payload);
  });
}
