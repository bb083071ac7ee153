import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `deliveries.job_id`: the BullMQ job that owns a row still to send (docs/decisions/0023-a-job-per-page-of-deliveries.md).
 * NULL is the row's own job, whose id is the delivery id (every row before this, every webhook, every admin
 * retry); a mail fan-out's rows name the page job that lists them. Only the owner may try a row. No default,
 * so adding the column rewrites nothing.
 */
export class AddDeliveryJobIds1764387000000 implements MigrationInterface {
  name = 'AddDeliveryJobIds1764387000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE deliveries ADD COLUMN job_id text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE deliveries DROP COLUMN job_id`);
  }
}
