import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each consumer of the log (projections, the alert router) stands, moved in the same transaction
 * as the consumer's own writes. `attempts` counts tries at the batch after the checkpoint; it is raised
 * before a batch is applied, so a consumer that crashes the process on an event is counted too.
 */
export class CreateConsumerCheckpoints1764384300000 implements MigrationInterface {
  name = 'CreateConsumerCheckpoints1764384300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE consumer_checkpoints (
        name           text PRIMARY KEY,
        last_tx        xid8        NOT NULL DEFAULT '0',
        last_position  bigint      NOT NULL DEFAULT 0,
        status         text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'failed', 'rebuilding')),
        attempts       integer     NOT NULL DEFAULT 0,
        last_error     text,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consumer_checkpoints`);
  }
}
