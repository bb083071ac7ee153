import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A consumer whose batch meets an infrastructure error (a timeout, a connection cut, a deadlock) is
 * `stalled`: it retries by itself with backoff and counts no try toward `failed` (docs/architecture.md,
 * "Failures"). The status is stored, so every API process reports what the running worker sees.
 */
export class AllowStalledConsumers1764385000000 implements MigrationInterface {
  name = 'AllowStalledConsumers1764385000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consumer_checkpoints DROP CONSTRAINT consumer_checkpoints_status_check`);
    await db.query(`
      ALTER TABLE consumer_checkpoints ADD CONSTRAINT consumer_checkpoints_status_check
        CHECK (status IN ('running', 'stalled', 'failed', 'rebuilding'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE consumer_checkpoints SET status = 'running' WHERE status = 'stalled'`);
    await db.query(`ALTER TABLE consumer_checkpoints DROP CONSTRAINT consumer_checkpoints_status_check`);
    await db.query(`
      ALTER TABLE consumer_checkpoints ADD CONSTRAINT consumer_checkpoints_status_check
        CHECK (status IN ('running', 'failed', 'rebuilding'))`);
  }
}
