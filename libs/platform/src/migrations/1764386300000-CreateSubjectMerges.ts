import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns of a merge forest: the same on the write side, in the read models and in the alert router. */
const forest = (table: string) => `
  CREATE TABLE ${table} (
    subject    text NOT NULL CHECK (subject IN ('person', 'organization')),
    merged_id  uuid NOT NULL,
    into_id    uuid NOT NULL,
    root_id    uuid NOT NULL,
    PRIMARY KEY (subject, merged_id)
  )`;

/**
 * Merges of persons and organisations (docs/decisions/0018-a-merge-is-two-events-and-a-repointing-of-keys.md).
 *
 * - `subject_name_keys.claimed_for`: the subject a key was claimed for, once a merge has moved the key to
 *   another (NULL: the key was never moved, it is `subject_id`'s own). An unmerge gives a key back by it.
 * - `subject_merges` (write side), `read_subject_merges` (the subject-merges projection) and
 *   `alert_subject_merges` (the alert router): who is merged into whom, each with the survivor at the top of
 *   its chain (`root_id`), so that a read finds the whole group of a subject with two index probes and no
 *   recursion (libs/consumers/src/merge-forest.ts keeps them). Empty: there was no merge before this.
 */
export class CreateSubjectMerges1764386300000 implements MigrationInterface {
  name = 'CreateSubjectMerges1764386300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE subject_name_keys ADD COLUMN claimed_for uuid`);
    for (const table of ['subject_merges', 'read_subject_merges', 'alert_subject_merges']) {
      await db.query(forest(table));
      await db.query(`CREATE INDEX ${table}_by_root ON ${table} (subject, root_id)`);
      await db.query(`CREATE INDEX ${table}_by_into ON ${table} (subject, into_id)`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['alert_subject_merges', 'read_subject_merges', 'subject_merges']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`ALTER TABLE subject_name_keys DROP COLUMN claimed_for`);
  }
}
