import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const TS_NODE = require.resolve('ts-node/dist/bin');

/** Starts an app's real entry point (main.ts) with this environment alone, and says how it ended. */
function start(app: 'api' | 'worker', env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [
      TS_NODE,
      '--swc',
      '--project',
      join(ROOT, 'tsconfig.json'),
      '-r',
      'tsconfig-paths/register',
      `apps/${app}/src/main.ts`,
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stderr: result.stderr };
}

const GOOD_TOKEN = '0123456789abcdef0123456789abcdef';

/** A misconfigured process stops before it touches anything, with one line that names the variable. */
describe('Starting the apps with a bad configuration', () => {
  it.each([
    ['api', 'LOG_LEVEL', { ADMIN_TOKEN: GOOD_TOKEN, LOG_LEVEL: 'verbose' }],
    ['worker', 'LOG_LEVEL', { ADMIN_TOKEN: GOOD_TOKEN, LOG_LEVEL: 'verbose' }],
    ['api', 'ADMIN_TOKEN', { ADMIN_TOKEN: 'insecure-placeholder-replace-with-openssl-rand-hex-32' }],
    ['api', 'SECRETS_KEY', { ADMIN_TOKEN: GOOD_TOKEN, NODE_ENV: 'production' }],
  ] as const)('the %s stops with one line naming %s', (app, variable, env) => {
    const { status, stderr } = start(app, env);
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${variable} `));
  });
});
