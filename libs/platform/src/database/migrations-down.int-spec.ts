import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { databaseUrl, uniqueName } from '../../../../test/support/test-environment';
import { schemaSnapshot, type SchemaSnapshot } from '../../../../test/support/schema-snapshot';
import { MIGRATIONS } from '../migrations';
import { createDataSource } from './data-source';

async function onAdmin(statement: string): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** One step of a migration in a transaction of its own, as migrateDatabase runs them (`transaction: 'each'`). */
async function inTransactionOf(runner: QueryRunner, step: (runner: QueryRunner) => Promise<void>): Promise<void> {
  await runner.startTransaction();
  try {
    await step(runner);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}

/**
 * Every migration's down() undoes its up() exactly: on a fresh database each migration goes up, then all go
 * down, newest first, and after each down the schema (tables, columns, constraints, indexes, triggers,
 * functions' bodies and settings: test/support/schema-snapshot.ts) is the one the migrations before it left.
 * Then they all go up again to the same schema. A down() that restores an earlier body of a function it
 * replaced (RecordReportsInBatches restores vigil_append and vigil_record_report) is held to that body.
 */
describe('the migrations, down and up again', () => {
  const name = uniqueName('vigil_migrations');
  let dataSource: DataSource;
  let runner: QueryRunner;
  beforeAll(async () => {
    await onAdmin(`CREATE DATABASE ${name}`);
    dataSource = createDataSource(databaseUrl(name), [], 1);
    await dataSource.initialize();
    runner = dataSource.createQueryRunner();
  });
  afterAll(async () => {
    await runner?.release();
    await dataSource?.destroy();
    await onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('leaves, after each down(), the schema the migrations before it made, and makes the same schema going up again', async () => {
    const migrations: MigrationInterface[] = MIGRATIONS.map((Migration) => new Migration());
    // before[i]: the schema migration i finds when it goes up.
    const before: SchemaSnapshot[] = [];
    for (const migration of migrations) {
      before.push(await schemaSnapshot(runner));
      await inTransactionOf(runner, (db) => migration.up(db));
    }
    const migrated = await schemaSnapshot(runner);

    for (let i = migrations.length - 1; i >= 0; i--) {
      await inTransactionOf(runner, (db) => migrations[i].down(db));
      expect({ after: `${migrations[i].name} down`, schema: await schemaSnapshot(runner) }).toEqual({
        after: `${migrations[i].name} down`,
        schema: before[i],
      });
    }

    for (const migration of migrations) await inTransactionOf(runner, (db) => migration.up(db));
    expect(await schemaSnapshot(runner)).toEqual(migrated);
  });
});
