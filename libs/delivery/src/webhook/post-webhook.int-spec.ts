import type { LookupAddress } from 'node:dns';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { waitFor } from '../../../../test/support/wait-for';
import { postWebhook, WebhookConnectionError, WebhookTimeoutError } from './post-webhook';
import { UnsafeWebhookTargetError } from './webhook-target';

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface Receiver {
  port: number;
  requests: SeenRequest[];
  connections: number;
}

// Every server of this file, closed in afterAll so jest exits by itself. Only loopback, never the network.
const servers: net.Server[] = [];

async function listen(server: net.Server, host: string): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function startReceiver(
  host: string,
  answer: (request: SeenRequest, response: http.ServerResponse) => void = (_, response) => response.end('ok'),
): Promise<Receiver> {
  const receiver: Receiver = { port: 0, requests: [], connections: 0 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      receiver.requests.push(seen);
      answer(seen, response);
    });
  });
  server.on('connection', () => receiver.connections++);
  receiver.port = await listen(server, host);
  return receiver;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('postWebhook succeeded');
}

const BIG = Buffer.alloc(1024 * 1024, 'a');

describe(postWebhook.name, () => {
  let receiver: Receiver; // on 127.0.0.1, answers by path
  let redirectTarget: Receiver;
  let ipv6Receiver: Receiver | undefined; // on ::1 when the host has IPv6 loopback
  let closedPort: number;
  let hangsDropped = 0; // hanging requests whose connection the client closed

  beforeAll(async () => {
    redirectTarget = await startReceiver('127.0.0.1');
    receiver = await startReceiver('127.0.0.1', ({ url }, response) => {
      if (url === '/redirect')
        response.writeHead(302, { location: `http://127.0.0.1:${redirectTarget.port}/moved` }).end();
      else if (url === '/hang') {
        response.on('close', () => hangsDropped++);
        return; // never answers
      } else if (url === '/big') response.end(BIG);
      else if (url === '/gone') response.writeHead(410).end('gone');
      else response.writeHead(200, { 'content-type': 'text/plain' }).end('accepted');
    });
    ipv6Receiver = await startReceiver('::1').catch(() => undefined);
    const closed = net.createServer();
    closedPort = await new Promise<number>((resolve) =>
      closed.listen(0, '127.0.0.1', () => {
        const { port } = closed.address() as AddressInfo;
        closed.close(() => resolve(port));
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (server instanceof http.Server) server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  });

  const url = (path: string): string => `http://127.0.0.1:${receiver.port}${path}`;

  it('returns the status and body of the answer', async () => {
    await expect(postWebhook({ url: url('/ok'), body: '{}', allowPrivate: true })).resolves.toEqual({
      status: 200,
      body: 'accepted',
      truncated: false,
    });
  });

  it('sends the exact body bytes and the given headers', async () => {
    const body = JSON.stringify({ type: 'incident.recorded', data: { name: 'شرمین میمندی‌نژاد — Sharmin' } });
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'dlv_123',
      'webhook-timestamp': '1700000000',
      'webhook-signature': 'v1,abc=',
      'Content-Length': '1', // ours wins: the length is the body's
    };
    const before = receiver.requests.length;
    await postWebhook({ url: url('/echo?x=1'), body, headers, allowPrivate: true });
    const seen = receiver.requests[before];
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/echo?x=1');
    expect(seen.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(seen.headers).toMatchObject({
      host: `127.0.0.1:${receiver.port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'webhook-id': 'dlv_123',
      'webhook-timestamp': '1700000000',
      'webhook-signature': 'v1,abc=',
    });
  });

  it('returns a 410 as it is', async () => {
    await expect(postWebhook({ url: url('/gone'), body: '{}', allowPrivate: true })).resolves.toMatchObject({
      status: 410,
    });
  });

  it('does not follow a redirect', async () => {
    const response = await postWebhook({ url: url('/redirect'), body: '{}', allowPrivate: true });
    expect(response.status).toBe(302);
    expect(redirectTarget.connections).toBe(0);
    expect(redirectTarget.requests).toEqual([]);
  });

  it('times out a receiver that hangs, and drops the connection it was waiting on', async () => {
    const dropped = hangsDropped;
    const error = await failureOf(postWebhook({ url: url('/hang'), body: '{}', timeoutMs: 300, allowPrivate: true }));
    expect(error).toBeInstanceOf(WebhookTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300 });
    // The receiver had the request (it counts the drop from then on): the answer is what timed out. A
    // connection kept after the timeout would hold one of the partner's few pooled sockets for good.
    await waitFor(() => hangsDropped === dropped + 1, { what: 'the hanging connection to be closed' });
  });

  it('counts a stalled DNS answer against the same timeout', async () => {
    const lookup = (): Promise<LookupAddress[]> => new Promise(() => undefined);
    const error = await failureOf(
      postWebhook({ url: 'http://stalled.example/', body: '{}', timeoutMs: 300, allowPrivate: true, lookup }),
    );
    expect(error).toBeInstanceOf(WebhookTimeoutError);
  });

  it('fails with the code when the connection is refused', async () => {
    const error = await failureOf(
      postWebhook({ url: `http://127.0.0.1:${closedPort}/`, body: '{}', allowPrivate: true }),
    );
    expect(error).toBeInstanceOf(WebhookConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails as a connection error when the name does not resolve', async () => {
    const lookup = async (): Promise<LookupAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    };
    const error = await failureOf(
      postWebhook({ url: 'http://nowhere.example/', body: '{}', allowPrivate: false, lookup }),
    );
    expect(error).toBeInstanceOf(WebhookConnectionError);
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('keeps at most maxResponseBytes of a large answer', async () => {
    const response = await postWebhook({ url: url('/big'), body: '{}', allowPrivate: true });
    expect(response).toMatchObject({ status: 200, truncated: true });
    expect(response.body).toHaveLength(65_536);
    expect(response.body).toBe('a'.repeat(65_536));
  });

  describe('with private targets refused', () => {
    const refusedBeforeConnecting = async (target: string): Promise<void> => {
      const before = {
        requests: receiver.requests.length,
        connections: receiver.connections,
        v6: ipv6Receiver?.connections,
      };
      const error = await failureOf(postWebhook({ url: target, body: '{}', allowPrivate: false }));
      expect(error).toBeInstanceOf(UnsafeWebhookTargetError);
      expect(receiver.requests.length).toBe(before.requests);
      expect(receiver.connections).toBe(before.connections);
      expect(ipv6Receiver?.connections).toBe(before.v6);
    };

    it.each([
      'http://localhost:PORT/',
      'http://127.1:PORT/',
      'http://0x7f.1:PORT/',
      'http://[::ffff:127.0.0.1]:PORT/',
      'http://169.254.169.254/latest/meta-data',
    ])('refuses %s before any connection', async (target) => {
      await refusedBeforeConnecting(target.replace('PORT', String(receiver.port)));
    });

    it('refuses http://[::1]:PORT/ before any connection', async () => {
      // The ::1 receiver, when this host has IPv6 loopback, shows no connection was made there either.
      await refusedBeforeConnecting(`http://[::1]:${ipv6Receiver?.port ?? receiver.port}/`);
    });

    it('refuses a name with one public and one private address, without connecting', async () => {
      const lookup = async (): Promise<LookupAddress[]> => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
      const error = await failureOf(
        postWebhook({ url: `http://partner.example:${receiver.port}/`, body: '{}', allowPrivate: false, lookup }),
      );
      expect(error).toBeInstanceOf(UnsafeWebhookTargetError);
    });
  });

  describe('DNS rebinding', () => {
    it('looks the name up once and connects to the address it checked', async () => {
      // First answer: the receiver. Any later answer: 127.0.0.2, where nothing listens (a rebinding server
      // would answer with an internal address here). Connecting there would fail with ECONNREFUSED.
      let lookups = 0;
      const lookup = async (): Promise<LookupAddress[]> => [
        { address: lookups++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 },
      ];
      const before = receiver.requests.length;
      const response = await postWebhook({
        url: `http://partner.example:${receiver.port}/ok`,
        body: '{}',
        allowPrivate: true,
        lookup,
      });
      expect(response.status).toBe(200);
      expect(lookups).toBe(1);
      // The name, not the pinned address, goes in Host: virtual hosts and certificates stay the partner's.
      expect(receiver.requests[before].headers.host).toBe(`partner.example:${receiver.port}`);
    });

    it('sends the host name as TLS SNI while connecting to the checked address', async () => {
      let hello: Buffer | undefined;
      const tlsStub = net.createServer((socket) =>
        socket.once('data', (data: Buffer) => {
          hello = data;
          socket.destroy(); // no TLS here: the ClientHello is all this test needs
        }),
      );
      const port = await listen(tlsStub, '127.0.0.1');
      let lookups = 0;
      const lookup = async (): Promise<LookupAddress[]> => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      };
      const error = await failureOf(
        postWebhook({ url: `https://partner.example:${port}/`, body: '{}', allowPrivate: true, lookup }),
      );
      expect(error).toBeInstanceOf(WebhookConnectionError);
      expect(lookups).toBe(1);
      expect(hello?.[0]).toBe(0x16); // a TLS handshake record
      expect(hello?.includes('partner.example')).toBe(true);
    });
  });
});
