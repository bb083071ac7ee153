import { Client } from 'pg';
import { LOCK_CLASS_MIGRATIONS } from './advisory-locks';
import { createDataSource } from './data-source';

const DUPLICATE_DATABASE = '42P04';

/** Creates the database of the URL when it is missing (docs/architecture.md, "Start-up"). */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // Another process created it between our check and our CREATE: that is what we wanted.
    if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
  } finally {
    await admin.end();
  }
}

/**
 * Runs the pending migrations under a session advisory lock, so that several API processes starting
 * together migrate once and the others wait, then find nothing to do. Returns the names it ran.
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  await ensureDatabaseExists(databaseUrl);
  const dataSource = createDataSource(databaseUrl, [], 2);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1, 0)', [LOCK_CLASS_MIGRATIONS]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_CLASS_MIGRATIONS]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
