import { DEFAULT_DATABASE_POOL_SIZE, DEFAULT_DATABASE_TIMEOUTS, type VigilConfig } from '@vigil/platform';
import { TEST_ADMIN_TOKEN, TEST_REDIS_URL } from './test-environment';
import { testQueuePrefix } from './test-queue-prefix';

/** The contract's defaults, pointed at the suite's own database and queue prefix. */
export function testConfig(overrides: Partial<VigilConfig> & Pick<VigilConfig, 'databaseUrl'>): VigilConfig {
  return {
    databaseTimeouts: DEFAULT_DATABASE_TIMEOUTS,
    databasePoolSize: DEFAULT_DATABASE_POOL_SIZE,
    adminViewCacheMib: 64,
    redisUrl: TEST_REDIS_URL,
    smtpUrl: 'smtp://127.0.0.1:1025',
    mailFrom: 'Vigil Alerts <alerts@localhost>',
    port: 0,
    // A free port for every worker a suite starts, so suites never fight over 3001.
    workerPort: 0,
    publicBaseUrl: 'http://localhost:3000',
    adminToken: TEST_ADMIN_TOKEN,
    webhookAllowPrivateTargets: true,
    // A prefix of its own for every config: suites sharing one Redis never see each other's jobs.
    queuePrefix: testQueuePrefix(),
    retrySchedule: [50, 100, 200],
    secretsKey: 'test-secrets-key-0123456789abcdef0123456789',
    previousSecretsKeys: [],
    logLevel: 'silent',
    // The suites play many clients through X-Forwarded-For, as if behind a proxy on this machine.
    trustProxy: ['127.0.0.1'],
    // Suites send reports of one source as fast as they can; the limit's own suite sets a small one.
    sourceRateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    ...overrides,
  };
}
