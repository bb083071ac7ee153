/**
 * `npm run demo`: Vigil on this machine's PostgreSQL and Redis, without Docker. Builds if needed, starts
 * the API and the worker with an SMTP server in this process, registers a partner source, subscribes two
 * watchers (confirming them from the caught mails), posts the seed case through the signed webhook, prints
 * what each watcher received and where to look, then runs until Ctrl-C. It uses a database of its own,
 * `vigil_demo` (emptied at each start), and the queue prefix `vigil-demo`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo, type Launch } from './demo/run-demo';

const ROOT = join(__dirname, '..');
const MAINS = { api: join(ROOT, 'dist/apps/api/main.js'), worker: join(ROOT, 'dist/apps/worker/main.js') };

/** The newest modification time of the TypeScript under a directory. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than a source file. */
function buildIfNeeded(): void {
  const built = Object.values(MAINS).map((main) => (existsSync(main) ? statSync(main).mtimeMs : 0));
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  if (Math.min(...built) > sources) return;
  process.stdout.write('building the API and the worker (npm run build)…\n');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

const launch: Launch = (app, env) =>
  spawn(process.execPath, [MAINS[app]], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });

async function main(): Promise<void> {
  buildIfNeeded();
  const port = Number(process.env.PORT ?? 3000);
  const workerPort = Number(process.env.WORKER_PORT ?? 3001);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const demo = await runDemo({
    databaseServer: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    databaseName: 'vigil_demo',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    queuePrefix: 'vigil-demo',
    port,
    workerPort,
    launch,
    say,
  });

  say('\nWhat each watcher received:');
  for (const watcher of demo.watchers) {
    say(`\n  ${watcher.email}, watching ${watcher.watches}: ${watcher.alerts.length} alert(s)`);
    for (const alert of watcher.alerts) say(`    - ${alert.subject}`);
  }
  const curl = `curl -H "Authorization: Bearer ${demo.adminToken}"`;
  say(`
Where to look:
  API reference       ${demo.baseUrl}/docs
  incidents (admin)   ${curl} ${demo.baseUrl}/v1/admin/incidents
  deliveries (admin)  ${curl} ${demo.baseUrl}/v1/admin/deliveries
  the event log       ${curl} ${demo.baseUrl}/v1/admin/events
  worker metrics      ${demo.workerUrl}/metrics
  admin token         ${demo.adminToken}
The mail server runs inside this process; subscribe more watchers with POST ${demo.baseUrl}/v1/subscriptions
and post reports as the partner, then see them arrive here. Ctrl-C stops everything.`);

  // Mails that arrive from now on (new watchers, new reports) are shown as they come.
  let shown = demo.mails.length;
  const showNewMails = setInterval(() => {
    for (const mail of demo.mails.slice(shown)) say(`mail to ${mail.to.join(', ')}: ${mail.subject}`);
    shown = demo.mails.length;
  }, 500);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(showNewMails);
    say('\nstopping the API, the worker and the mail server…');
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`the demo failed: ${error.message}\n`);
  process.exit(1);
});
