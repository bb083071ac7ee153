import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server that, while holding, reads each message to its end and then keeps the reply back: the
 * sender's mail is "being sent". Released, it answers 250 to the held messages whose connection is still
 * open, and to every later one at once. A held message whose sender went away meanwhile never had its
 * 250 and is not counted as received (so every mail counted came from a sender that was told it went out).
 */
export interface HoldingSmtpServer {
  url: string;
  /** Envelope recipients of each message answered 250, in order. */
  received: string[][];
  /** The Message-ID of each message answered 250, in order: Vigil's alert mails carry their delivery id in it. */
  messageIds: string[];
  /** How many messages are waiting for their reply. */
  held(): number;
  /** How many held messages lost their connection before the reply. */
  heldAndAbandoned(): number;
  /** How many connections are still open from these client ports (a killed sender's: tcpPortsOf). */
  openFrom(ports: Set<number>): number;
  release(): void;
  /** Holds the replies of later messages again. */
  hold(): void;
  stop(): Promise<void>;
}

export async function startHoldingSmtpServer(): Promise<HoldingSmtpServer> {
  const received: string[][] = [];
  const messageIds: string[] = [];
  const held: { sessionId: string; answer: () => void }[] = [];
  const closedSessions = new Set<string>();
  const sockets = new Set<Socket>();
  let holding = true;

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        const head = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[0];
        const messageId = /^message-id:\s*<([^>]*)>/im.exec(head)?.[1] ?? '';
        const answer = () => {
          // The raw socket's close comes before smtp-server's onClose: either says the sender is gone.
          const open = [...sockets].some((socket) => socket.remotePort === session.remotePort);
          if (closedSessions.has(session.id) || !open) return callback(new Error('the client went away'));
          received.push(to);
          messageIds.push(messageId);
          callback();
        };
        if (holding) held.push({ sessionId: session.id, answer });
        else answer();
      });
    },
  });
  // A sender killed in mid-message resets its connection, and smtp-server emits that on the server: without a
  // listener it would be thrown into the suite that killed the sender on purpose.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    messageIds,
    held: () => held.length,
    heldAndAbandoned: () => held.filter((h) => closedSessions.has(h.sessionId)).length,
    openFrom: (ports) => [...sockets].filter((socket) => ports.has(socket.remotePort ?? -1)).length,
    release() {
      holding = false;
      for (const { answer } of held.splice(0)) answer();
    },
    hold() {
      holding = true;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
