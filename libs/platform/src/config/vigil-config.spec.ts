import { ConfigError } from './config.error';
import { loadConfig } from './vigil-config';

const TOKEN = '0123456789abcdef0123456789abcdef';

/** HKDF-SHA256 of TOKEN: pinned, because a changed derivation would lock out every stored secret. */
const DERIVED_KEY = 'YSZNWeYpDBib0ix_1cLyIEle0qyXBPvZ34OLZYQMQGE';

describe(loadConfig.name, () => {
  it('applies the contract defaults when only ADMIN_TOKEN is given', () => {
    const config = loadConfig({ ADMIN_TOKEN: TOKEN });
    expect(config).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/vigil',
      databaseTimeouts: { connectMs: 5_000, statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 },
      databasePoolSize: 10,
      adminViewCacheMib: 64,
      redisUrl: 'redis://127.0.0.1:6379',
      smtpUrl: 'smtp://127.0.0.1:1025',
      mailFrom: 'Vigil Alerts <alerts@localhost>',
      port: 3000,
      workerPort: 3001,
      publicBaseUrl: 'http://localhost:3000',
      adminToken: TOKEN,
      webhookAllowPrivateTargets: false,
      queuePrefix: 'vigil',
      retrySchedule: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      secretsKey: DERIVED_KEY,
      previousSecretsKeys: [],
      logLevel: 'info',
      trustProxy: false,
      metricsToken: undefined,
      sourceRateLimit: { perSecond: 50, burst: 100 },
    });
  });

  it('reads the database timeouts as durations and refuses zero or a bare number', () => {
    const config = loadConfig({
      ADMIN_TOKEN: TOKEN,
      DATABASE_STATEMENT_TIMEOUT: '2m',
      DATABASE_CONNECT_TIMEOUT: '750ms',
    });
    expect(config.databaseTimeouts).toMatchObject({ statementMs: 120_000, connectMs: 750 });
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, DATABASE_LOCK_TIMEOUT: '0s' })).toThrow(
      new ConfigError('DATABASE_LOCK_TIMEOUT must be a duration such as 10s (ms, s, m)'),
    );
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: '60' })).toThrow(ConfigError);
  });

  it('uses SECRETS_KEY as given, and derives a different key from each ADMIN_TOKEN without it', () => {
    const own = 's'.repeat(32);
    expect(loadConfig({ ADMIN_TOKEN: TOKEN, SECRETS_KEY: own }).secretsKey).toBe(own);
    const other = 'fedcba9876543210fedcba9876543210';
    const derived = loadConfig({ ADMIN_TOKEN: other }).secretsKey;
    expect(derived).not.toBe(loadConfig({ ADMIN_TOKEN: TOKEN }).secretsKey);
    expect(derived).not.toContain(other.slice(0, 8));
  });

  it('names ADMIN_TOKEN and its rule when it is missing', () => {
    expect(() => loadConfig({})).toThrow(
      new ConfigError(
        'ADMIN_TOKEN is required and must be at least 32 characters with 16 or more distinct ones, not a placeholder (openssl rand -hex 32)',
      ),
    );
  });

  it.each([
    ['a short one', 'short'],
    ['the placeholder of .env.example', 'insecure-placeholder-replace-with-openssl-rand-hex-32'],
    ['one of visibly low entropy', 'ab'.repeat(20)],
  ])('refuses %s as ADMIN_TOKEN with one line naming it', (_what, token) => {
    expect(() => loadConfig({ ADMIN_TOKEN: token })).toThrow(/^ADMIN_TOKEN must be at least 32 characters/);
  });

  it('requires SECRETS_KEY in production, and reads SECRETS_KEY_PREVIOUS for rotation', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, NODE_ENV: 'production' })).toThrow(/^SECRETS_KEY is required/);
    const key = 'k'.repeat(32);
    const old = 'o'.repeat(32);
    expect(
      loadConfig({ ADMIN_TOKEN: TOKEN, NODE_ENV: 'production', SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: old }),
    ).toMatchObject({
      secretsKey: key,
      previousSecretsKeys: [old],
    });
  });

  it.each([
    ['false', false],
    ['1', 1],
    ['10.0.0.0/8, 192.168.1.7', ['10.0.0.0/8', '192.168.1.7']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (raw, expected) => {
    expect(loadConfig({ ADMIN_TOKEN: TOKEN, TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'all', '10.0.0.0/33', 'example.org', '1.2.3.4/8/1', '::1/129'])('refuses TRUST_PROXY=%s', (raw) => {
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, TRUST_PROXY: raw })).toThrow(/^TRUST_PROXY must be/);
  });

  it('takes LOG_LEVEL as a pino level and refuses any other word with one line', () => {
    expect(loadConfig({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'verbose' })).toThrow(
      new ConfigError('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'),
    );
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '30a'],
    ['WORKER_PORT', '0'],
    ['WORKER_PORT', '3001x'],
    ['SOURCE_RATE_LIMIT', '50'],
    ['SOURCE_RATE_LIMIT', '0,100'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['REDIS_URL', 'not a url'],
    ['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'yes'],
    ['RETRY_SCHEDULE', '5s,,5m'],
    ['RETRY_SCHEDULE', '5 minutes'],
    ['QUEUE_PREFIX', 'has space'],
    ['QUEUE_PREFIX', '{half'],
    ['QUEUE_PREFIX', 'a{tag}'],
    ['QUEUE_PREFIX', '{}'],
    ['DATABASE_POOL_SIZE', '1'],
    ['DATABASE_POOL_SIZE', '10.5'],
    ['ADMIN_VIEW_CACHE_MIB', '-1'],
    ['ADMIN_VIEW_CACHE_MIB', '4097'],
    ['REDIS_CLUSTER_NODES', 'redis-1'],
    ['REDIS_CLUSTER_NODES', 'redis-1:6379,,redis-2:6379'],
    ['PUBLIC_BASE_URL', 'ftp://example.org'],
    ['MAIL_FROM', 'not an address'],
    ['SECRETS_KEY', 'shorter-than-32-characters'],
  ])('stops on a malformed %s (%s) with a line that names it', (name, value) => {
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, [name]: value })).toThrow(new RegExp(`^${name} must be `));
  });

  it('parses a custom retry schedule and strips the trailing slash of the base URL', () => {
    const config = loadConfig({
      ADMIN_TOKEN: TOKEN,
      RETRY_SCHEDULE: '100ms,1s,2m',
      PUBLIC_BASE_URL: 'https://vigil.example/',
    });
    expect(config.retrySchedule).toEqual([100, 1_000, 120_000]);
    expect(config.publicBaseUrl).toBe('https://vigil.example');
  });

  it('takes a queue prefix in braces, a Redis Cluster hash tag, and the cluster nodes with it', () => {
    const config = loadConfig({
      ADMIN_TOKEN: TOKEN,
      QUEUE_PREFIX: '{vigil}',
      REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001,[::1]:7002',
      DATABASE_POOL_SIZE: '6',
      ADMIN_VIEW_CACHE_MIB: '0',
    });
    expect(config.queuePrefix).toBe('{vigil}');
    expect(config.redisClusterNodes).toEqual([
      { host: 'redis-1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(config.databasePoolSize).toBe(6);
    expect(config.adminViewCacheMib).toBe(0);
  });

  it('refuses cluster nodes with a prefix that is no hash tag: BullMQ would fail with CROSSSLOT', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, REDIS_CLUSTER_NODES: 'redis-1:7000' })).toThrow(
      new ConfigError('QUEUE_PREFIX must be in braces, such as {vigil}, when REDIS_CLUSTER_NODES is set'),
    );
  });
});
