import { Client } from 'pg';
import { migrateDatabase } from '../libs/platform/src/database/migrate-database';
import { databaseUrl, templateDatabaseName } from './support/test-environment';

const TEMPLATE_LOCK = 424242;
/** Templates of other migration sets kept, newest first: enough for a few branches tested side by side. */
const OTHER_TEMPLATES_KEPT = 3;

/**
 * Migrates a template database once (immich's pattern); each suite then copies it with
 * CREATE DATABASE … TEMPLATE, which takes milliseconds instead of running every migration again.
 */
export default async function globalSetup(): Promise<void> {
  const template = templateDatabaseName();
  const admin = new Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    // Two jest runs at once (say, the parallel and a developer's) must not build the template together.
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) {
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await migrateDatabase(databaseUrl(building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    // Templates of other migration sets are left from earlier runs, or belong to another checkout running its
    // suites right now (a branch with a new migration): keep the newest few, drop the older ones.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database
        WHERE datname LIKE 'vigil\\_template\\_%' AND datname NOT LIKE '%\\_building' AND datname <> $1
        ORDER BY oid DESC OFFSET $2`,
      [template, OTHER_TEMPLATES_KEPT],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
}
