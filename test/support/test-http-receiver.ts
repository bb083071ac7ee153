import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Responder = (request: ReceivedRequest, response: ServerResponse) => void;

export interface TestHttpReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** What the next requests get: a responder per request in turn, then `fallback`. */
  respond(...responders: Responder[]): void;
  fallback: Responder;
  close(): Promise<void>;
}

export const answer =
  (status: number, body = '', headers: Record<string, string> = {}): Responder =>
  (_, response) => {
    response.writeHead(status, headers).end(body);
  };

/** Never answers (until the receiver closes): a partner that hangs. */
export const hang: Responder = () => undefined;

/** A real node:http server on 127.0.0.1 that records every request, for outgoing-webhook tests. */
export async function startTestHttpReceiver(): Promise<TestHttpReceiver> {
  const queue: Responder[] = [];
  const receiver: TestHttpReceiver = {
    url: '',
    port: 0,
    requests: [],
    respond: (...responders) => queue.push(...responders),
    fallback: answer(204),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      receiver.requests.push(received);
      (queue.shift() ?? receiver.fallback)(received, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as { port: number }).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  const close = receiver.close;
  receiver.close = async () => {
    server.closeAllConnections();
    await close();
  };
  return receiver;
}
