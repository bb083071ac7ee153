import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The servers the tests use: the contract's variables, defaulting to localhost like the apps do. */
export const TEST_DATABASE_SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Named after the migrations it holds, so a changed migration gets a fresh template and old runs keep theirs. */
export function templateDatabaseName(): string {
  const dir = join(__dirname, '../../libs/platform/src/migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return `vigil_template_${hash.digest('hex').slice(0, 12)}`;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
