import { createRedis, type VigilConfig } from '@vigil/platform';
import { startHoldingSmtpServer, type HoldingSmtpServer } from '../holding-smtp-server';
import { startTestApi, type TestApi } from '../test-api';
import { testConfig } from '../test-config';
import { createTestDatabase, type TestDatabase } from '../test-database';
import { dropQueuePrefix } from '../test-queue-prefix';
import { WorkerProcess } from './spawn-worker-process';

export interface ApiForWorkerProcesses {
  db: TestDatabase;
  config: VigilConfig;
  api: TestApi;
  /** The workers' server for alert mails: replies held until the test releases them. */
  alertSmtp: HoldingSmtpServer;
}

/**
 * For suites whose workers are child processes (killed, stopped, restarted by the test): a database, a
 * holding SMTP server and the API in this process, none of which sends alerts. Registers beforeAll and
 * afterAll; what it returns is filled in by beforeAll. afterAll reaps every worker still alive first, and
 * runs every step even when an earlier one failed, reporting the first failure.
 */
export function useApiForWorkerProcesses(overrides: Partial<VigilConfig> = {}): ApiForWorkerProcesses {
  const suite = {} as ApiForWorkerProcesses;
  beforeAll(async () => {
    suite.alertSmtp = await startHoldingSmtpServer();
    suite.db = await createTestDatabase();
    suite.config = testConfig({ databaseUrl: suite.db.url, smtpUrl: suite.alertSmtp.url, ...overrides });
    suite.api = await startTestApi(suite.config);
  });
  afterAll(async () => {
    const steps: (() => Promise<unknown> | undefined)[] = [
      () => WorkerProcess.reapAll(),
      () => suite.api?.close(),
      () => suite.db?.drop(),
      async () => {
        if (!suite.config) return;
        const redis = createRedis(suite.config.redisUrl);
        try {
          await dropQueuePrefix(redis, suite.config.queuePrefix);
        } finally {
          await redis.quit();
        }
      },
      () => suite.alertSmtp?.stop(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await Promise.resolve(step()).catch((error: unknown) => failures.push(error));
    if (failures.length) throw failures[0];
  });
  return suite;
}
