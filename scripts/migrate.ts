import { ConfigError, loadDatabaseUrl, migrateDatabase } from '@vigil/platform';

/** `npm run migrate`: creates the database if needed and runs the pending migrations, under the same lock as the API. */
async function main(): Promise<void> {
  const ran = await migrateDatabase(loadDatabaseUrl());
  process.stdout.write(JSON.stringify({ msg: 'migrations done', ran }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error.stack}\n`);
  process.exit(1);
});
