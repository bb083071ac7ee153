import type { Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { waitFor } from './wait-for';

/** A parsed message, with the envelope it came in (Bcc and list mails have recipients the headers do not show). */
export type ReceivedMail = ParsedMail & {
  envelope: { from: string | false; to: string[] };
  /** The message as it came over the wire (headers and every part, encoded), for specs that read it whole. */
  raw: Buffer;
};

export interface TestSmtpServer {
  port: number;
  /** smtp://127.0.0.1:port, for SMTP_URL. */
  url: string;
  /** Every accepted message, in order of acceptance; kept only with `parse` (the default). */
  messages: ReceivedMail[];
  /** How many messages were accepted, parsed or not. */
  accepted(): number;
  /** Answers RCPT TO with 550 for the matching addresses; null accepts everyone again. */
  rejectRecipients(predicate: ((address: string) => boolean) | null): void;
  /** Answers the next `count` messages with `code` (a transient 451 by default) at the end of DATA. */
  failNext(count: number, code?: number): void;
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Closes the listener and drops every connection: clients now get "connection refused". */
  down(): Promise<void>;
  /** Listens again, on the same port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestSmtpServerOptions {
  /** A fixed port; a free one by default. */
  port?: number;
  /** false: count messages without parsing or keeping them (benchmarks). */
  parse?: boolean;
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
 * A real SMTP server on 127.0.0.1 for tests: plain text, no auth, no TLS. Each message is parsed before
 * the 250 reply, so a client that has been answered finds its mail in `messages`.
 */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const keep = options.parse ?? true;
  let acceptedCount = 0;
  let rejecting: ((address: string) => boolean) | null = null;
  let failures: { left: number; code: number } = { left: 0, code: 451 };
  let server: SMTPServer | undefined;
  let sockets = new Set<Socket>();
  let port = options.port ?? 0;

  async function onData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (failures.left > 0) {
      failures.left--;
      throw new SmtpReplyError(failures.code, 'Test server: try again later');
    }
    if (keep) {
      const raw = Buffer.concat(chunks);
      const parsed = keepRawListHeaders(await simpleParser(raw));
      const { mailFrom, rcptTo } = session.envelope;
      messages.push(
        Object.assign(parsed, {
          envelope: { from: mailFrom ? mailFrom.address : (false as const), to: rcptTo.map((rcpt) => rcpt.address) },
          raw,
        }),
      );
    }
    acceptedCount++;
  }

  async function listen(): Promise<void> {
    const instance = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        // Quotes the address, as real servers do: callers must not copy replies into logs as they are.
        if (rejecting?.(address.address))
          return callback(new SmtpReplyError(550, `5.1.1 <${address.address}>: no such mailbox`));
        callback();
      },
      onData(stream, session, callback) {
        onData(stream, session).then(() => callback(), callback);
      },
    });
    // A sender killed in mid-message resets its connection, which smtp-server emits on the server: unheard, it
    // would be thrown into the suite.
    instance.on('error', () => undefined);
    const connections = new Set<Socket>();
    instance.server.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.listen(port, '127.0.0.1', () => {
        instance.server.off('error', reject);
        resolve();
      });
    });
    port = (instance.server.address() as { port: number }).port;
    server = instance;
    sockets = connections;
  }

  async function close(): Promise<void> {
    const instance = server;
    if (!instance) return;
    server = undefined;
    const closed = new Promise<void>((resolve) => instance.close(() => resolve()));
    // Without this, close() waits for every client to leave: a pooled client would hold it for minutes.
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    messages,
    accepted: () => acceptedCount,
    rejectRecipients(predicate) {
      rejecting = predicate;
    },
    failNext(count, code = 451) {
      failures = { left: count, code };
    },
    waitForMessages(count, timeoutMs = 10_000) {
      return waitFor(() => messages.length >= count && messages, { timeoutMs, what: `${count} mails` });
    },
    down: close,
    async up() {
      if (!server) await listen();
    },
    stop: close,
  };
}

/**
 * mailparser folds every List-* header into one `list` object; tests read them as sent, so the raw
 * values are also kept under their own names ('list-unsubscribe', 'list-unsubscribe-post').
 */
function keepRawListHeaders(mail: ParsedMail): ParsedMail {
  for (const { key, line } of mail.headerLines) {
    if (key.startsWith('list-') && !mail.headers.has(key)) {
      mail.headers.set(
        key,
        line
          .slice(line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      );
    }
  }
  return mail;
}
