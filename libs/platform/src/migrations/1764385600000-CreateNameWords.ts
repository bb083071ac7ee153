import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The name-words projection (libs/projections/src/name-words.projection.ts): for every name and alias of
 * every person and organisation, one row with the key of the whole name and one per word, so that search
 * finds a subject by the beginning of any word (docs/architecture.md, "Search by any word").
 *
 * `key` is COLLATE "C" so that the primary key's btree serves `key >= prefix AND key < prefix || U+10FFFF`
 * (byte order; the range, not LIKE, so a named statement's generic plan still probes the index). `word` is
 * the name or word as written, the first one seen with that key. Empty here: the projection is new, so its
 * consumer starts at the beginning of the log and fills it.
 */
export class CreateNameWords1764385600000 implements MigrationInterface {
  name = 'CreateNameWords1764385600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE read_name_words (
        subject     text    NOT NULL,
        key         text    COLLATE "C" NOT NULL,
        subject_id  uuid    NOT NULL,
        from_alias  boolean NOT NULL,
        whole       boolean NOT NULL,
        word        text    NOT NULL,
        PRIMARY KEY (subject, key, subject_id, from_alias, whole)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE read_name_words`);
  }
}
