import { join } from 'node:path';
import { Client } from 'pg';
import { runDemo, type Demo } from '../../scripts/demo/run-demo';
import { freePort } from '../support/private-redis';
import { databaseUrl, TEST_DATABASE_SERVER, TEST_REDIS_URL, uniqueName } from '../support/test-environment';
import { createRedis } from '@vigil/platform';
import { dropQueuePrefix, testQueuePrefix } from '../support/test-queue-prefix';
import { TsChildProcess } from '../support/ts-child-process';

const MAINS = {
  api: join(__dirname, '../../apps/api/src/main.ts'),
  worker: join(__dirname, '../../apps/worker/src/main.ts'),
};

/**
 * `npm run demo` up to its wait for Ctrl-C (scripts/demo/run-demo.ts), with the apps started from source
 * instead of dist/ so the suite needs no build: two watchers confirmed from their mails receive the alerts
 * of the seed case, each only about what they watch.
 */
describe('npm run demo', () => {
  const databaseName = uniqueName('vigil_demo_test');
  const queuePrefix = testQueuePrefix();
  let demo: Demo | undefined;

  afterAll(async () => {
    await demo?.stop();
    await TsChildProcess.reapAll();
    const admin = new Client({ connectionString: databaseUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).finally(() => admin.end());
    const redis = createRedis(TEST_REDIS_URL);
    await dropQueuePrefix(redis, queuePrefix).finally(() => redis.quit());
  });

  it('confirms two watchers from their mails and shows each the alerts of the seed case about what they watch', async () => {
    const lines: string[] = [];
    demo = await runDemo({
      databaseServer: TEST_DATABASE_SERVER,
      databaseName,
      redisUrl: TEST_REDIS_URL,
      queuePrefix,
      port: await freePort(),
      workerPort: await freePort(),
      launch: (app, env) => new TsChildProcess(MAINS[app], env).child,
      say: (line) => lines.push(line),
    });
    const [person, organisation] = demo.watchers;
    expect(person.alerts.map((mail) => mail.subject).sort()).toEqual(['Arrest: Zahra Rahimi', 'Release: Zahra Rahimi']);
    // The organisation's watcher hears of every seed incident naming it (under its name or an alias) or a known member.
    expect(organisation.alerts.length).toBeGreaterThanOrEqual(4);
    expect(organisation.alerts.every((mail) => mail.subject.includes('Imam Ali Popular Student Relief Society'))).toBe(
      true,
    );
    expect(organisation.alerts.some((mail) => mail.subject.startsWith('Court ruling'))).toBe(true);
    expect(lines).toContain('posted the seed case, 6 signed reports, as the partner would');
  }, 150_000);
});
