import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { MIGRATIONS } from '../migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;

/**
 * One DataSource shape for the apps, the migrate script and the tests: explicit entity and migration
 * lists, never synchronize, and migrations only ever run through migrateDatabase (under its lock).
 */
export function createDataSource(databaseUrl: string, entities: Entities = [], poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'vigil' },
  });
}
