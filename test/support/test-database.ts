import { Client, Pool } from 'pg';
import { createPgPool } from '@vigil/platform';
import { databaseUrl, templateDatabaseName, uniqueName } from './test-environment';

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool on the suite's database, closed by drop(). */
  pool: Pool;
  drop(): Promise<void>;
}

async function onAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A migrated database of the suite's own, copied from the template that global-setup built. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueName('vigil_test');
  await onAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabaseName()}`));
  const url = databaseUrl(name);
  const pool = createPgPool(url, 20, 'vigil-test');
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      await onAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
