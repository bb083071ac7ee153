import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search reads each rank's key range in the order of its list (docs/architecture.md, "Search by any word"), so
 * that a page touches about `limit` rows however many subjects share a short prefix:
 *
 * - `rank` is how a row matches (0 a whole name, 1 a whole alias, 2 a word: MATCHES in
 *   apps/api/src/read-models/subject-search.ts), stored so that an index can lead with it;
 * - `read_name_words_by_rank` gives one rank's rows of a key range in `(key, subject_id)` order, the order of a
 *   search's page within a rank;
 * - `read_name_words_by_subject` answers "does this subject match the prefix better, or earlier?" with a probe
 *   of the few rows of one subject, so that each subject is listed once, at its best rank;
 * - no parallel workers for the table: a search reads a few dozen rows, and a named statement's generic plan
 *   (which guesses `LIMIT $1` at a tenth of the table) would otherwise start workers for each keystroke.
 */
export class IndexNameWordsByRank1764386250000 implements MigrationInterface {
  name = 'IndexNameWordsByRank1764386250000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE read_name_words
        ADD COLUMN rank smallint NOT NULL
          GENERATED ALWAYS AS (CASE WHEN NOT whole THEN 2 WHEN from_alias THEN 1 ELSE 0 END) STORED`);
    await db.query(`CREATE INDEX read_name_words_by_rank ON read_name_words (subject, rank, key, subject_id)`);
    await db.query(`CREATE INDEX read_name_words_by_subject ON read_name_words (subject, subject_id, key)`);
    await db.query(`ALTER TABLE read_name_words SET (parallel_workers = 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE read_name_words RESET (parallel_workers)`);
    await db.query(`DROP INDEX read_name_words_by_subject`);
    await db.query(`DROP INDEX read_name_words_by_rank`);
    await db.query(`ALTER TABLE read_name_words DROP COLUMN rank`);
  }
}
