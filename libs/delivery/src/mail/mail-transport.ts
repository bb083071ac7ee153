import { createTransport, type SMTPPoolOptions, type Transporter } from 'nodemailer';

export type MailTransport = Transporter;

/** Whether trying the same message again later can succeed. */
export type SmtpFailure = 'permanent' | 'transient';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets, see `messageIdFor`. */
  messageId: string;
  headers?: Record<string, string>;
}

/** How long the transport waits on each phase of a send (connecting, the greeting, each reply) by default. */
export const MAIL_TIMEOUT_MS = 10_000;
// Failures of the sender's own credentials carry 5xx replies too, but they refuse no address: a fixed
// password must let the deliveries through, so they stay transient.
const CREDENTIAL_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/** The transport's connections: as many mails at once as a page job sends. */
export const MAIL_POOL_CONNECTIONS = 5;

/** The transport's timeouts: `timeoutMs` on each phase of a send, a send being no longer in hand once one lapses. */
export function mailTimeouts(timeoutMs: number): Partial<SMTPPoolOptions> {
  return {
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Below socketTimeout, so an idle connection is closed by us with QUIT rather than by a timeout error.
    idleTimeout: timeoutMs / 2,
  };
}

/**
 * A pooled SMTP transport: a few long-lived connections shared by every send, so a burst of alerts does
 * not open one connection per mail. Logging stays off: nodemailer's logs carry addresses.
 */
export function createMailTransport(smtpUrl: string, options: Partial<SMTPPoolOptions> = {}): MailTransport {
  return createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: MAIL_POOL_CONNECTIONS,
    maxMessages: 100,
    ...mailTimeouts(MAIL_TIMEOUT_MS),
    // Our mails are strings we rendered: nothing may be read from files or URLs on their behalf.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
    ...options,
  });
}

/** Sends one mail; a failure comes back as a MailSendError, classified and without any address in it. */
export async function sendMail(transport: MailTransport, mail: OutgoingMail): Promise<{ messageId: string }> {
  try {
    const info = await transport.sendMail({ ...mail, headers: mail.headers ?? {} });
    return { messageId: info.messageId };
  } catch (error) {
    throw new MailSendError(error);
  }
}

/** `<deliveryId@host of PUBLIC_BASE_URL>`: one Message-ID per delivery, the same on every retry of it. */
export function messageIdFor(deliveryId: string, publicBaseUrl: string): string {
  return `<${deliveryId}@${new URL(publicBaseUrl).hostname}>`;
}

/** RFC 8058 one-click unsubscribe: mail providers POST `List-Unsubscribe=One-Click` to the URL. */
export function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * A 5xx reply refuses the message or the address for good (RFC 5321 §4.2.1): permanent. Everything
 * else — a 4xx, a refused or dropped connection, a timeout — may pass later: transient. Two 5xx are not
 * about the message: 503 (bad sequence of commands, a session-state problem a new connection cures) and
 * an authentication failure (the operator's credentials, not the recipient). An address nodemailer
 * itself refuses (EENVELOPE before any command) will never be accepted either: permanent.
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  if (error instanceof MailSendError) return error.failure;
  const { responseCode, code, command } = (error ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
  };
  if (typeof code === 'string' && CREDENTIAL_CODES.has(code)) return 'transient';
  if (code === 'EENVELOPE' && command === 'API') return 'permanent';
  if (typeof responseCode !== 'number' || responseCode === 503) return 'transient';
  return responseCode >= 500 && responseCode < 600 ? 'permanent' : 'transient';
}

/**
 * What a failed send tells the delivery row and the logs: the error code, the command and the SMTP
 * reply, with every address replaced, since replies and nodemailer's messages quote them.
 */
export class MailSendError extends Error {
  readonly failure: SmtpFailure;
  readonly code?: string;
  readonly responseCode?: number;
  readonly command?: string;

  constructor(cause: unknown) {
    const { code, responseCode, command, message } = (cause ?? {}) as Record<string, unknown>;
    const context = [code, command].filter((part): part is string => typeof part === 'string').join(' ');
    const text = typeof message === 'string' ? message : 'unknown error';
    super(redactAddresses(context ? `${context}: ${text}` : text));
    this.name = 'MailSendError';
    this.code = typeof code === 'string' ? code : undefined;
    this.responseCode = typeof responseCode === 'number' ? responseCode : undefined;
    this.command = typeof command === 'string' ? redactAddresses(command) : undefined;
    this.failure = classifySmtpError(cause);
  }
}

function redactAddresses(text: string): string {
  return text.replace(ADDRESS, '<address>');
}
