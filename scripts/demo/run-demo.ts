import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { signStandardWebhook } from '@vigil/delivery';
import { startMailCatcher, type CaughtMail, type MailCatcher } from './mail-catcher';

/** The seed case, the incidents that started the project, as a partner would report them. */
const SEED = join(__dirname, '../../test/fixtures/imam-ali-society.json');

/** Starts one of the apps ('api' or 'worker') with this environment: from dist/ for `npm run demo`, from source in its test. */
export type Launch = (app: 'api' | 'worker', env: Record<string, string>) => ChildProcess;

export interface DemoOptions {
  /** The PostgreSQL server; the demo uses (and first empties) a database of its own on it, `databaseName`. */
  databaseServer: string;
  databaseName: string;
  redisUrl: string;
  /** Its keys are deleted at the start: the demo's queues begin empty. */
  queuePrefix: string;
  port: number;
  workerPort: number;
  launch: Launch;
  /** Progress lines, for the person watching. */
  say(line: string): void;
}

export interface DemoWatcher {
  email: string;
  watches: string;
  /** Alert mails received (the confirmation mail is not among them). */
  alerts: CaughtMail[];
}

export interface Demo {
  baseUrl: string;
  workerUrl: string;
  adminToken: string;
  watchers: DemoWatcher[];
  /** Every mail caught so far, growing as more arrive. */
  mails: CaughtMail[];
  /** Stops the API and the worker (SIGTERM, as a deploy would) and the mail catcher. */
  stop(): Promise<void>;
}

const WATCHERS = [
  { email: 'mina@example.org', watch: { persons: ['Zahra Rahimi'] }, watches: 'the person Zahra Rahimi' },
  {
    email: 'dariush@example.org',
    watch: { organizations: ['Imam Ali Popular Student Relief Society'] },
    watches: 'the organisation Imam Ali Popular Student Relief Society',
  },
];

function urlOf(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function until<T>(
  what: string,
  condition: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
  /** Why waiting is pointless (a process that stopped), to give up at once rather than at the deadline. */
  failure: () => string | undefined = () => undefined,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failed = failure();
    if (failed) throw new Error(`the demo gave up waiting for ${what}: ${failed}`);
    const value = await Promise.resolve(condition()).catch(() => undefined);
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`the demo gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Empties what an earlier demo left: its database (the API creates it again) and its queue keys. */
async function startClean(options: DemoOptions): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.databaseName)) throw new Error('the demo database name must be a plain name');
  const admin = new Client({ connectionString: urlOf(options.databaseServer, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${options.databaseName} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${options.queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/**
 * The demo's work, up to the point where it waits for Ctrl-C: the API and the worker with an SMTP server
 * in this process, a partner source, two watchers confirmed from their mails, the seed case posted through
 * the signed webhook, and every alert delivered.
 */
export async function runDemo(options: DemoOptions): Promise<Demo> {
  const { say } = options;
  await startClean(options);
  const mail: MailCatcher = await startMailCatcher();
  // base64url, not hex: hex has only 16 letters, and a token missing one of them is refused as of low entropy.
  const adminToken = randomBytes(32).toString('base64url');
  const baseUrl = `http://localhost:${options.port}`;
  const env = {
    DATABASE_URL: urlOf(options.databaseServer, options.databaseName),
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    SMTP_URL: mail.url,
    PORT: String(options.port),
    WORKER_PORT: String(options.workerPort),
    PUBLIC_BASE_URL: baseUrl,
    ADMIN_TOKEN: adminToken,
    SECRETS_KEY: randomBytes(32).toString('base64url'),
    RETRY_SCHEDULE: '1s,5s,30s',
    LOG_LEVEL: 'warn',
  };
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    }
    await mail.close();
  };
  try {
    const api = `http://127.0.0.1:${options.port}`;
    say('starting the API (it creates and migrates its database)…');
    children.push(options.launch('api', env));
    await until(
      'the API',
      async () => (await fetch(`${api}/health/ready`)).ok || undefined,
      120_000,
      () => (children[0].exitCode !== null ? `the API stopped (exit code ${children[0].exitCode})` : undefined),
    );
    say('starting the worker…');
    children.push(options.launch('worker', env));
    await until(
      'the worker',
      async () => (await fetch(`http://127.0.0.1:${options.workerPort}/health/ready`)).ok || undefined,
      120_000,
    );
    for (const child of children) {
      child.once('exit', (code, signal) => {
        if (!stopping) say(`a Vigil process exited (${signal ?? code}); see its output above`);
      });
    }

    const call = async (path: string, body: unknown, admin = false) => {
      const response = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(admin ? { authorization: `Bearer ${adminToken}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };

    const source = (await call('/v1/admin/sources', { name: 'Iran Human Rights' }, true)) as {
      id: string;
      secret: string;
    };
    say(`registered the partner source "Iran Human Rights" (${source.id})`);

    for (const watcher of WATCHERS) {
      await call('/v1/subscriptions', { email: watcher.email, watch: watcher.watch });
      const confirmation = await until('the confirmation mail', () =>
        mail.mails.find((m) => m.to.includes(watcher.email) && /confirm\?token=/.test(m.text)),
      );
      const token = decodeURIComponent(/confirm\?token=([^\s"<>&]+)/.exec(confirmation.text)![1]);
      await call('/v1/subscriptions/confirm', { token });
      say(`${watcher.email} subscribed to ${watcher.watches} and confirmed from the mail's link`);
    }
    const confirmations = mail.mails.length;

    const reports = JSON.parse(readFileSync(SEED, 'utf8')) as { externalId: string }[];
    for (const report of reports) {
      const body = JSON.stringify(report);
      const id = `msg_${randomBytes(12).toString('hex')}`;
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(`${api}/v1/webhooks/incidents/${source.id}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signStandardWebhook(id, timestamp, body, source.secret),
        },
      });
      if (response.status !== 201) throw new Error(`report ${report.externalId} answered ${response.status}`);
    }
    say(`posted the seed case, ${reports.length} signed reports, as the partner would`);

    // Done when the alert router has read every event and every delivery it made is final.
    const headers = { authorization: `Bearer ${adminToken}` };
    await until('the alerts', async () => {
      const status = (await (await fetch(`${api}/v1/admin/projections`, { headers })).json()) as {
        projections: { lag: number }[];
      };
      if (status.projections.some((p) => p.lag !== 0)) return undefined;
      const { items } = (await (await fetch(`${api}/v1/admin/deliveries?limit=100`, { headers })).json()) as {
        items: { status: string; channel: string }[];
      };
      if (!items.length || items.some((d) => d.status !== 'delivered' && d.status !== 'dead')) return undefined;
      const delivered = items.filter((d) => d.channel === 'email' && d.status === 'delivered').length;
      return mail.mails.length - confirmations >= delivered || undefined;
    });

    return {
      baseUrl,
      workerUrl: `http://localhost:${options.workerPort}`,
      adminToken,
      mails: mail.mails,
      watchers: WATCHERS.map(({ email, watches }) => ({
        email,
        watches,
        alerts: mail.mails.filter((m) => m.to.includes(email) && !/confirm\?token=/.test(m.text)),
      })),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
