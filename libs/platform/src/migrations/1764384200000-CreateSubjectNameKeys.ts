import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write side's name index: which person or organisation a normalised name key belongs to. Its
 * primary key is the arbiter when two reports name the same new person at once: one claim wins and
 * both reports end with that one id. A claim may outlive a report that failed after claiming; the
 * next report naming the key then registers the subject under the claimed id.
 */
export class CreateSubjectNameKeys1764384200000 implements MigrationInterface {
  name = 'CreateSubjectNameKeys1764384200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE subject_name_keys (
        subject     text NOT NULL CHECK (subject IN ('person', 'organization')),
        key         text NOT NULL,
        subject_id  uuid NOT NULL,
        claimed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subject, key)
      )`);
    await db.query(`CREATE INDEX subject_name_keys_by_subject ON subject_name_keys (subject, subject_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE subject_name_keys`);
  }
}
