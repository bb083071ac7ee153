import 'reflect-metadata';
import { Pool } from 'pg';
import { assertLogNotFromTheFuture } from '@vigil/event-store';
import {
  ConfigError,
  createLogger,
  createPgPool,
  ErrorReporter,
  loadConfig,
  migrateDatabase,
  reportUnhandledRejections,
} from '@vigil/platform';
import { createApiApp } from './api-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('vigil-api', config.logLevel);
  const ran = await migrateDatabase(config.databaseUrl);
  if (ran.length) logger.info({ migrations: ran }, 'migrations applied');
  const pool: Pool = createPgPool(config.databaseUrl, 1, 'vigil', config.databaseTimeouts);
  try {
    await assertLogNotFromTheFuture(pool);
  } finally {
    await pool.end();
  }
  const app = await createApiApp(config, logger);
  reportUnhandledRejections(app.get(ErrorReporter));
  await app.listen({ port: config.port, host: '0.0.0.0' });
  logger.info({ port: config.port }, 'api listening');
}

bootstrap().catch((error: unknown) => {
  // A configuration error is one line naming the variable; anything else keeps its stack.
  process.stderr.write(`${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
