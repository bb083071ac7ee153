import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between Vigil and a shared server (PostgreSQL, Redis) that a test can cut, stall and restore,
 * so a fault test never stops the server other suites are using.
 * - cut(): every open connection is reset and new ones are refused at once (the server is down).
 * - stall(): connections stay open but nothing flows either way, and new ones are accepted and left
 *   silent (an overloaded server or a network that drops packets): only the client's own timeouts help.
 * - restore(): traffic flows again, on the stalled connections too (as after a network fault, TCP delivers
 *   what waited), and new connections are forwarded.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port pointed at the proxy. */
  through(url: string): string;
  cut(): void;
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

type State = 'open' | 'cut' | 'stalled';

/** Forwards 127.0.0.1:port to the host and port of `targetUrl` (a postgres:// or redis:// URL). */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetHost = target.hostname.replace(/^\[|\]$/g, '');
  const targetPort = Number(target.port || (target.protocol.startsWith('redis') ? 6379 : 5432));
  let state: State = 'open';
  const pairs = new Set<[Socket, Socket | undefined]>();

  const forward = (pair: [Socket, Socket | undefined]): void => {
    const [client] = pair;
    const upstream = pair[1] ?? createConnection({ host: targetHost, port: targetPort });
    if (!pair[1]) {
      pair[1] = upstream;
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
    upstream.resume();
  };

  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (state === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const pair: [Socket, Socket | undefined] = [client, undefined];
    pairs.add(pair);
    client.on('close', () => {
      pair[1]?.destroy();
      pairs.delete(pair);
    });
    if (state === 'stalled') client.pause();
    else forward(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut() {
      state = 'cut';
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream?.destroy();
      }
      pairs.clear();
    },
    stall() {
      state = 'stalled';
      for (const [client, upstream] of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    restore() {
      if (state === 'stalled') for (const pair of pairs) forward(pair);
      state = 'open';
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
