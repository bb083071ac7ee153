import { ConfigError } from './config.error';
import { loadConfig } from './vigil-config';

const TOKEN = 'a'.repeat(32);

describe(loadConfig.name, () => {
  it('applies the contract defaults when only ADMIN_TOKEN is given', () => {
    const config = loadConfig({ ADMIN_TOKEN: TOKEN });
    expect(config).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/vigil',
      databaseTimeouts: { connectMs: 5_000, statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 },
      redisUrl: 'redis://127.0.0.1:6379',
      smtpUrl: 'smtp://127.0.0.1:1025',
      mailFrom: 'Vigil Alerts <alerts@localhost>',
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      adminToken: TOKEN,
      webhookAllowPrivateTargets: false,
      queuePrefix: 'vigil',
      retrySchedule: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      // HKDF-SHA256 of ADMIN_TOKEN: pinned, because a changed derivation would lock out every stored secret.
      secretsKey: '-e6Nt8taq7-H0J-64shZlxGuM9pYasWcQl0H3WKF5yE',
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
    const derived = loadConfig({ ADMIN_TOKEN: 'b'.repeat(32) }).secretsKey;
    expect(derived).not.toBe(loadConfig({ ADMIN_TOKEN: TOKEN }).secretsKey);
    expect(derived).not.toContain('b'.repeat(8));
  });

  it('names ADMIN_TOKEN and its rule when it is missing', () => {
    expect(() => loadConfig({})).toThrow(new ConfigError('ADMIN_TOKEN is required and must be at least 32 characters'));
  });

  it('rejects a short ADMIN_TOKEN', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow('ADMIN_TOKEN must be at least 32 characters');
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '30a'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['REDIS_URL', 'not a url'],
    ['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'yes'],
    ['RETRY_SCHEDULE', '5s,,5m'],
    ['RETRY_SCHEDULE', '5 minutes'],
    ['QUEUE_PREFIX', 'has space'],
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
});
