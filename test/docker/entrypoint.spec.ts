import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * docker/entrypoint.sh, run by the shell of the image in a temporary directory that stands for the
 * vigil-secrets volume. The command it ends in prints what it was given, as the API or the worker would read it.
 */
const SCRIPT = join(__dirname, '../../docker/entrypoint.sh');
// The image's /bin/sh is dash, which has fewer features than bash: test with it where it exists.
const SHELL = existsSync('/bin/dash') ? 'dash' : 'sh';
const PRINT = ['sh', '-c', 'echo "$ADMIN_TOKEN $SECRETS_KEY"'];
const HEX_64 = /^[0-9a-f]{64}$/;

describe('docker/entrypoint.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-entrypoint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function start(env: Record<string, string> = {}, command = PRINT) {
    const { stdout, stderr } = await promisify(execFile)(SHELL, [SCRIPT, ...command], {
      // PATH and nothing of the test's own environment: ADMIN_TOKEN must come from the script or from `env`.
      env: { PATH: process.env.PATH, VIGIL_SECRETS_DIR: join(dir, 'secrets'), ...env },
    });
    const [adminToken, secretsKey] = stdout.trim().split(' ');
    return { adminToken, secretsKey, stderr };
  }
  const stored = (name: string) => readFileSync(join(dir, 'secrets', name), 'utf8');

  it('generates both secrets at the first start, keeps them readable by their owner only, and prints the admin token with how to replace it', async () => {
    const first = await start();
    expect(first.adminToken).toMatch(HEX_64);
    expect(first.secretsKey).toMatch(HEX_64);
    expect(first.secretsKey).not.toBe(first.adminToken);
    expect([stored('ADMIN_TOKEN'), stored('SECRETS_KEY')]).toEqual([first.adminToken, first.secretsKey]);
    expect(statSync(join(dir, 'secrets', 'ADMIN_TOKEN')).mode & 0o777).toBe(0o600);
    expect(first.stderr).toContain(`ADMIN_TOKEN=${first.adminToken}`);
    expect(first.stderr).toContain('docker compose exec api rm');
    expect(first.stderr).not.toContain(first.secretsKey);
  });

  it('gives the same secrets at every later start, and prints the token no more', async () => {
    const first = await start();
    const again = await start();
    expect([again.adminToken, again.secretsKey]).toEqual([first.adminToken, first.secretsKey]);
    expect(again.stderr).toBe('');
  });

  it('lets ADMIN_TOKEN and SECRETS_KEY set in the environment win, writing nothing for them', async () => {
    const adminToken = 'a'.repeat(16) + 'bcdefghijklmnopqrstuvwxyz0123456789';
    const secretsKey = 'k'.repeat(40);
    const given = await start({ ADMIN_TOKEN: adminToken, SECRETS_KEY: secretsKey });
    expect([given.adminToken, given.secretsKey, given.stderr]).toEqual([adminToken, secretsKey, '']);
    expect(() => stored('ADMIN_TOKEN')).toThrow(/ENOENT/);
    // One set, the other kept in the volume.
    const half = await start({ ADMIN_TOKEN: adminToken });
    expect(half.adminToken).toBe(adminToken);
    expect(half.secretsKey).toBe(stored('SECRETS_KEY'));
  });

  it('gives every container the same secrets when several start at once on an empty volume, and one prints the token', async () => {
    const starts = await Promise.all(Array.from({ length: 8 }, () => start()));
    expect(new Set(starts.map((s) => `${s.adminToken} ${s.secretsKey}`))).toEqual(
      new Set([`${stored('ADMIN_TOKEN')} ${stored('SECRETS_KEY')}`]),
    );
    expect(starts.filter((s) => s.stderr.includes('ADMIN_TOKEN=')).length).toBe(1);
  });

  it('refuses to start on an empty secret file instead of passing an empty token on', async () => {
    await start();
    writeFileSync(join(dir, 'secrets', 'ADMIN_TOKEN'), '');
    await expect(start()).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('is empty') });
  });

  it('becomes the command it was given: its exit status is the container’s', async () => {
    await expect(start({}, ['sh', '-c', 'exit 7'])).rejects.toMatchObject({ code: 7 });
  });
});
