import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A webhook receiver that, while holding, reads each request to its end and keeps the answer back: the
 * sender's webhook is "being delivered". Released, it answers 204 to the held requests whose connection is
 * still open, and to every later one at once. `acknowledged` counts the 204s by `webhook-id` (Vigil sends
 * a delivery's id there): a request whose sender went away before its answer was never acknowledged, and
 * the sender rightly tries again with the same id (docs/decisions/0013-*.md).
 */
export interface HoldingHttpReceiver {
  url: string;
  /** 204s written, by webhook-id. */
  acknowledged: Map<string, number>;
  /** Every request read, acknowledged or not. */
  requests(): number;
  held(): number;
  /** How many connections are still open from these client ports (a killed sender's: tcpPortsOf). */
  openFrom(ports: Set<number>): number;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingHttpReceiver(): Promise<HoldingHttpReceiver> {
  const acknowledged = new Map<string, number>();
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  let holding = false;
  let requests = 0;

  const answer = (request: IncomingMessage, response: ServerResponse) => () => {
    if (request.socket.destroyed) return;
    const id = String(request.headers['webhook-id']);
    response.writeHead(204).end();
    acknowledged.set(id, (acknowledged.get(id) ?? 0) + 1);
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      if (holding) held.push(answer(request, response));
      else answer(request, response)();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    acknowledged,
    requests: () => requests,
    held: () => held.length,
    openFrom: (ports) => [...sockets].filter((socket) => ports.has(socket.remotePort ?? -1)).length,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const send of held.splice(0)) send();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
