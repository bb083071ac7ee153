import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  /** Stops listening and drops every connection: the app now finds its server unreachable. */
  close(): Promise<void>;
  /** Listens again, on the same port. */
  open(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:port to the host and port of `targetUrl`, so a test can cut the app off from a shared
 * server (PostgreSQL, Redis) and let it back, without ever stopping that server.
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  let server: Server | undefined;
  let sockets = new Set<Socket>();
  let port = 0;

  async function listen(): Promise<void> {
    const connections = new Set<Socket>();
    const instance = createServer((client) => {
      const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
      for (const [socket, other] of [
        [client, upstream],
        [upstream, client],
      ]) {
        connections.add(socket);
        socket.on('close', () => {
          connections.delete(socket);
          other.destroy();
        });
        socket.on('error', () => other.destroy());
        socket.pipe(other);
      }
    });
    await new Promise<void>((resolve, reject) => {
      instance.once('error', reject);
      instance.listen(port, '127.0.0.1', () => {
        instance.off('error', reject);
        resolve();
      });
    });
    port = (instance.address() as { port: number }).port;
    server = instance;
    sockets = connections;
  }

  await listen();
  return {
    get port() {
      return port;
    },
    through(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    async close() {
      const instance = server;
      if (!instance) return;
      server = undefined;
      const closed = new Promise<void>((resolve) => instance.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async open() {
      if (!server) await listen();
    },
  };
}
