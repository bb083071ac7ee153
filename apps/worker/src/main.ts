import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  createLogger,
  ErrorReporter,
  loadConfig,
  migrateDatabase,
  NestPinoLogger,
  reportUnhandledRejections,
} from '@vigil/platform';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('vigil-worker', config.logLevel);
  // Same lock as the API: whichever starts first migrates, the other waits and finds nothing to do.
  await migrateDatabase(config.databaseUrl);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
  });
  app.enableShutdownHooks();
  reportUnhandledRejections(app.get(ErrorReporter));
  logger.info('worker started');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
