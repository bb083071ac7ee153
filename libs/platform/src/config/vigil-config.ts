import { hkdfSync } from 'node:crypto';
import { isIP } from 'node:net';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from '../database/pg-pool';
import { ConfigError } from './config.error';

/** The configuration the README lists ("Configuration"), parsed once at boot and typed. */
export interface VigilConfig {
  databaseUrl: string;
  databaseTimeouts: DatabaseTimeouts;
  /** DATABASE_POOL_SIZE: the most pooled connections one process opens (README, "Connection budget"). */
  databasePoolSize: number;
  /** ADMIN_VIEW_CACHE_MIB: the most memory an API process holds of large admin views (0: none is kept). */
  adminViewCacheMib: number;
  redisUrl: string;
  /**
   * REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster; when given, REDIS_URL's host is not used (its
   * user, password and rediss:// still are) and QUEUE_PREFIX must be a hash tag such as {vigil}.
   */
  redisClusterNodes?: RedisNode[];
  smtpUrl: string;
  mailFrom: string;
  port: number;
  /** WORKER_PORT: the worker's own /health/live, /health/ready and /metrics (0 picks a free port, for tests). */
  workerPort: number;
  publicBaseUrl: string;
  adminToken: string;
  webhookAllowPrivateTargets: boolean;
  queuePrefix: string;
  /** Delays in milliseconds between the tries of one alert; after the last, the delivery is dead. */
  retrySchedule: number[];
  /** Key material for the secrets stored encrypted (partners' webhook secrets): SECRETS_KEY, or derived from ADMIN_TOKEN. */
  secretsKey: string;
  /** SECRETS_KEY_PREVIOUS: an older key whose sealed values still open, and are sealed again with secretsKey. */
  previousSecretsKeys: string[];
  /** pino's level name. */
  logLevel: LogLevel;
  /** TRUST_PROXY: whose X-Forwarded-For to believe. false: nobody's; a number: that many hops; else CIDRs. */
  trustProxy: TrustProxy;
  /** METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken?: string;
  /** SOURCE_RATE_LIMIT: signed reports one source may send, per second sustained and at once, per API process. */
  sourceRateLimit: { perSecond: number; burst: number };
}

export type TrustProxy = false | number | string[];

export interface RedisNode {
  host: string;
  port: number;
}

/** Whether a queue prefix is a Redis Cluster hash tag: wholly in braces, so all of a queue's keys share a slot. */
export const isHashTag = (prefix: string): boolean => /^\{[^{}]+\}$/.test(prefix);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Record<string, string | undefined>;

/** Pooled PostgreSQL connections per process: two APIs and three workers fit a default PostgreSQL (README, "Connection budget"). */
export const DEFAULT_DATABASE_POOL_SIZE = 10;

interface Variable<T> {
  default?: string;
  parse(raw: string): T;
  /** Says what a valid value looks like, after "NAME is required and must be …" or "NAME must be …". */
  rule: string;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function url(protocols: string[]): (raw: string) => string {
  return (raw) => {
    const parsed = new URL(raw);
    if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    return raw;
  };
}

function parseDuration(raw: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
  if (!match) throw new Error(raw);
  return Number(match[1]) * DURATION_UNITS[match[2]];
}

function parseDurations(raw: string): number[] {
  return raw.split(',').map(parseDuration);
}

/** A secret given as is, of at least this many characters. */
function atLeast(characters: number): Variable<string> {
  return {
    parse: (raw) => {
      if (raw.length < characters) throw new Error('short');
      return raw;
    },
    rule: `at least ${characters} characters`,
  };
}

function positiveDuration(raw: string): number {
  const ms = parseDuration(raw);
  if (ms <= 0) throw new Error('zero');
  return ms;
}

function tcpPort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new Error('port');
  return port;
}

const SCHEMA = {
  DATABASE_URL: {
    default: 'postgres://postgres@127.0.0.1:5432/vigil',
    parse: url(['postgres:', 'postgresql:']),
    rule: 'a postgres:// URL',
  },
  DATABASE_CONNECT_TIMEOUT: {
    default: `${DEFAULT_DATABASE_TIMEOUTS.connectMs}ms`,
    parse: positiveDuration,
    rule: 'a duration such as 5s (ms, s, m)',
  },
  DATABASE_STATEMENT_TIMEOUT: {
    default: `${DEFAULT_DATABASE_TIMEOUTS.statementMs}ms`,
    parse: positiveDuration,
    rule: 'a duration such as 30s (ms, s, m)',
  },
  DATABASE_LOCK_TIMEOUT: {
    default: `${DEFAULT_DATABASE_TIMEOUTS.lockMs}ms`,
    parse: positiveDuration,
    rule: 'a duration such as 10s (ms, s, m)',
  },
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: {
    default: `${DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs}ms`,
    parse: positiveDuration,
    rule: 'a duration such as 60s (ms, s, m)',
  },
  DATABASE_POOL_SIZE: {
    default: String(DEFAULT_DATABASE_POOL_SIZE),
    parse: (raw: string) => {
      const size = Number(raw);
      if (!/^\d+$/.test(raw) || size < 2 || size > 200) throw new Error(raw);
      return size;
    },
    rule: 'a whole number from 2 to 200',
  },
  ADMIN_VIEW_CACHE_MIB: {
    default: '64',
    parse: (raw: string) => {
      const mebibytes = Number(raw);
      if (!/^\d+$/.test(raw) || mebibytes > 4096) throw new Error(raw);
      return mebibytes;
    },
    rule: 'a whole number from 0 to 4096',
  },
  REDIS_URL: { default: 'redis://127.0.0.1:6379', parse: url(['redis:', 'rediss:']), rule: 'a redis:// URL' },
  SMTP_URL: { default: 'smtp://127.0.0.1:1025', parse: url(['smtp:', 'smtps:']), rule: 'an smtp:// or smtps:// URL' },
  MAIL_FROM: {
    default: 'Vigil Alerts <alerts@localhost>',
    parse: (raw: string) => {
      if (!/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(raw.trim())) throw new Error('address');
      return raw.trim();
    },
    rule: 'a mail address, optionally with a display name ("Name <a@b>")',
  },
  PORT: { default: '3000', parse: tcpPort, rule: 'a TCP port from 1 to 65535' },
  WORKER_PORT: { default: '3001', parse: tcpPort, rule: 'a TCP port from 1 to 65535' },
  PUBLIC_BASE_URL: {
    default: 'http://localhost:3000',
    parse: (raw: string) => url(['http:', 'https:'])(raw).replace(/\/+$/, ''),
    rule: 'an http:// or https:// URL',
  },
  ADMIN_TOKEN: {
    parse: (raw: string) => {
      if (raw.length < 32) throw new Error('short');
      // A token anyone can guess is no token: the published placeholder, or one of visibly low entropy.
      if (raw.toLowerCase().includes('placeholder')) throw new Error('placeholder');
      if (new Set(raw).size < 16) throw new Error('low entropy');
      return raw;
    },
    rule: 'at least 32 characters with 16 or more distinct ones, not a placeholder (openssl rand -hex 32)',
  },
  WEBHOOK_ALLOW_PRIVATE_TARGETS: {
    default: 'false',
    parse: (raw: string) => {
      if (raw !== 'true' && raw !== 'false') throw new Error('bool');
      return raw === 'true';
    },
    rule: '"true" or "false"',
  },
  REDIS_CLUSTER_NODES: {
    parse: (raw: string): RedisNode[] =>
      raw.split(',').map((node) => {
        const match = /^\s*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})\s*$/.exec(node);
        if (!match) throw new Error(node);
        return { host: match[1].replace(/^\[|\]$/g, ''), port: tcpPort(match[2]) };
      }),
    rule: 'comma-separated host:port of Redis Cluster nodes (such as redis-1:6379,redis-2:6379)',
  },
  QUEUE_PREFIX: {
    default: 'vigil',
    // Braces around the whole prefix make it a Redis Cluster hash tag (docs/decisions/0022-*.md).
    parse: (raw: string) => {
      if (!/^(?:[A-Za-z0-9_.-]{1,64}|\{[A-Za-z0-9_.-]{1,62}\})$/.test(raw)) throw new Error('prefix');
      return raw;
    },
    rule: '1 to 64 letters, digits, ".", "_" or "-", or such a name in braces ({vigil}) for a Redis Cluster',
  },
  RETRY_SCHEDULE: {
    default: '5s,5m,30m,2h,5h,10h,10h',
    parse: parseDurations,
    rule: 'a comma-separated list of durations such as 5s,5m,2h (units ms, s, m, h, d)',
  },
  /** Optional: without it the key is derived from ADMIN_TOKEN (see deriveSecretsKey). */
  SECRETS_KEY: atLeast(32),
  SECRETS_KEY_PREVIOUS: atLeast(32),
  TRUST_PROXY: {
    default: 'false',
    parse: (raw: string): TrustProxy => {
      const value = raw.trim();
      if (value === 'false') return false;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      const ranges = value.split(',').map((part) => part.trim());
      for (const range of ranges) {
        const [address, bits, ...rest] = range.split('/');
        const family = isIP(address);
        const max = family === 4 ? 32 : 128;
        if (!family || rest.length || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
          throw new Error(range);
        }
      }
      return ranges;
    },
    rule: '"false", a number of proxy hops, or comma-separated addresses or CIDRs of trusted proxies',
  },
  SOURCE_RATE_LIMIT: {
    default: '50,100',
    parse: (raw: string) => {
      const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(raw);
      const [perSecond, burst] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
      if (perSecond < 1 || burst < 1) throw new Error(raw);
      return { perSecond, burst };
    },
    rule: 'two positive whole numbers, "<per second>,<burst>" (such as 50,100)',
  },
  METRICS_TOKEN: atLeast(16),
  LOG_LEVEL: {
    default: 'info',
    parse: (raw: string) => {
      const level = LOG_LEVELS.find((name) => name === raw.trim().toLowerCase());
      if (!level) throw new Error('level');
      return level;
    },
    rule: `one of ${LOG_LEVELS.join(', ')}`,
  },
} satisfies Record<string, Variable<unknown>>;

type Schema = typeof SCHEMA;

/** The name of every variable the apps read (deployment manifests are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(SCHEMA);
type Parsed = { [K in keyof Schema]: ReturnType<Schema[K]['parse']> };

function read<K extends keyof Schema>(env: Env, name: K): Parsed[K] {
  const variable: Variable<Parsed[K]> = SCHEMA[name] as Variable<Parsed[K]>;
  const given = env[name];
  const raw = given === undefined || given === '' ? variable.default : given;
  if (raw === undefined) throw new ConfigError(`${name} is required and must be ${variable.rule}`);
  try {
    return variable.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be ${variable.rule}`);
  }
}

/**
 * The fallback when SECRETS_KEY is not set: HKDF-SHA256 of ADMIN_TOKEN (no salt, fixed info string), so
 * a database dump alone still does not hand out the stored secrets. The info string must never change,
 * or every stored secret becomes unreadable. For the same reason, set SECRETS_KEY to this derived value
 * before changing ADMIN_TOKEN on an installation that relies on the fallback.
 */
export function deriveSecretsKey(adminToken: string): string {
  return Buffer.from(hkdfSync('sha256', adminToken, '', 'vigil secrets key v1', 32)).toString('base64url');
}

/** DATABASE_URL alone, for tools that only migrate (`npm run migrate`) and need no token or key. */
export function loadDatabaseUrl(env: Env = process.env): string {
  return read(env, 'DATABASE_URL');
}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Env = process.env): VigilConfig {
  const adminToken = read(env, 'ADMIN_TOKEN');
  // In production the sealing key must not hang on the admin token, which is rotated far more often.
  if (env.NODE_ENV === 'production' && !env.SECRETS_KEY) {
    throw new ConfigError('SECRETS_KEY is required when NODE_ENV=production and must be at least 32 characters');
  }
  const queuePrefix = read(env, 'QUEUE_PREFIX');
  const redisClusterNodes = env.REDIS_CLUSTER_NODES ? read(env, 'REDIS_CLUSTER_NODES') : undefined;
  // Without the hash tag BullMQ's scripts touch keys of several slots, and the cluster refuses them (CROSSSLOT).
  if (redisClusterNodes && !isHashTag(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX must be in braces, such as {vigil}, when REDIS_CLUSTER_NODES is set');
  }
  return {
    databaseUrl: read(env, 'DATABASE_URL'),
    databaseTimeouts: {
      connectMs: read(env, 'DATABASE_CONNECT_TIMEOUT'),
      statementMs: read(env, 'DATABASE_STATEMENT_TIMEOUT'),
      lockMs: read(env, 'DATABASE_LOCK_TIMEOUT'),
      idleInTransactionMs: read(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT'),
    },
    databasePoolSize: read(env, 'DATABASE_POOL_SIZE'),
    adminViewCacheMib: read(env, 'ADMIN_VIEW_CACHE_MIB'),
    redisUrl: read(env, 'REDIS_URL'),
    redisClusterNodes,
    smtpUrl: read(env, 'SMTP_URL'),
    mailFrom: read(env, 'MAIL_FROM'),
    port: read(env, 'PORT'),
    workerPort: read(env, 'WORKER_PORT'),
    publicBaseUrl: read(env, 'PUBLIC_BASE_URL'),
    adminToken,
    webhookAllowPrivateTargets: read(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS'),
    queuePrefix,
    retrySchedule: read(env, 'RETRY_SCHEDULE'),
    secretsKey: env.SECRETS_KEY ? read(env, 'SECRETS_KEY') : deriveSecretsKey(adminToken),
    previousSecretsKeys: env.SECRETS_KEY_PREVIOUS ? [read(env, 'SECRETS_KEY_PREVIOUS')] : [],
    logLevel: read(env, 'LOG_LEVEL'),
    trustProxy: read(env, 'TRUST_PROXY'),
    metricsToken: env.METRICS_TOKEN ? read(env, 'METRICS_TOKEN') : undefined,
    sourceRateLimit: read(env, 'SOURCE_RATE_LIMIT'),
  };
}
