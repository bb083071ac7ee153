import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as it arrived: enough to tell which delivery it is and when it came, nothing kept of its body. */
export interface CaughtMail {
  messageId: string;
  to: string[];
  receivedAt: number;
}

export interface MailCatcher {
  url: string;
  /** Every message accepted, in order. */
  mails: CaughtMail[];
  /** Raw messages kept while `keepRaw` is on (the confirmation mails of the setup, whose links are needed). */
  raw: { to: string[]; data: Buffer }[];
  keepRaw: boolean;
  /** true: every transaction is answered "451 try again later" at MAIL FROM (the provider is down). */
  refusing: boolean;
  close(): Promise<void>;
}

class SmtpReplyError extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The soak's SMTP server. test/support/test-smtp-server parses and keeps whole messages, which at a
 * hundred mails a second for ten minutes would cost the measured processes their CPU and this one
 * gigabytes; this one reads only the Message-ID (which names the delivery: `messageIdFor`) and the time.
 */
export async function startMailCatcher(): Promise<MailCatcher> {
  const sockets = new Set<Socket>();
  const catcher: Omit<MailCatcher, 'url' | 'close'> = { mails: [], raw: [], keepRaw: false, refusing: false };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (catcher.refusing) return callback(new SmtpReplyError(451, '4.3.0 Soak: mail service down, try again later'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        const end = data.indexOf('\r\n\r\n');
        const head = data.subarray(0, end < 0 ? data.length : end).toString('latin1');
        const messageId = /^message-id:\s*<([^>]*)>/im.exec(head)?.[1] ?? '';
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        catcher.mails.push({ messageId, to, receivedAt: performance.now() });
        if (catcher.keepRaw) catcher.raw.push({ to, data });
        callback();
      });
    },
  });
  // A client killed mid-transaction (the worker's SIGKILL) makes smtp-server emit the reset on the server:
  // unheard, it would end this process.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return Object.assign(catcher, {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  });
}
