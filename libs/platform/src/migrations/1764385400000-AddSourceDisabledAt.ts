import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A source an admin disabled (a leaked secret, a partner gone rogue): its reports are refused with 401
 * until it is enabled again. Null for a source in use; the secrets stay, so enabling needs no new one.
 */
export class AddSourceDisabledAt1764385400000 implements MigrationInterface {
  name = 'AddSourceDisabledAt1764385400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sources ADD COLUMN disabled_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sources DROP COLUMN disabled_at`);
  }
}
