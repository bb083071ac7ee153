import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may be the same (docs/architecture.md, "Who may be the same"; decision 0017):
 *
 * - `read_similar_keys` (the similar-names projection): for every name and alias, its loose key (`position`
 *   -1: the loose Persian key or the Latin transliteration key, see libs/domain's similar-names) and, for a
 *   key of eight letters or more, the key with each one letter left out (`position` that letter, `long` when
 *   it lies in a word of eight letters or more). A btree on (subject, key) finds every other name with the
 *   same key or deletion: one index probe per key, at any size of the table (decision 0017 says why not
 *   pg_trgm).
 * - `read_similar_pairs` (the same projection): each pair of subjects some key proposes, once, with its
 *   strongest reason, the log position and time of the name that made it, and an id derived from the pair
 *   so that a rebuild gives the same ids (a dismissal names it).
 * - `read_dismissed_candidates` (the dismissed-candidates projection): the review items an admin dismissed,
 *   from `CandidateDismissed` events. Its own table and projection, so that rebuilding the candidates
 *   keeps the dismissals, and other kinds of candidates (possible duplicate incidents) share it.
 *
 * Empty here: the projections are new, so their consumers start at the beginning of the log and fill them.
 */
export class CreateSimilarNames1764386200000 implements MigrationInterface {
  name = 'CreateSimilarNames1764386200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE read_similar_keys (
        subject     text     NOT NULL,
        key         text     COLLATE "C" NOT NULL,
        position    smallint NOT NULL,
        long        boolean  NOT NULL,
        subject_id  uuid     NOT NULL,
        PRIMARY KEY (subject, key, position, long, subject_id)
      )`);
    await db.query(`
      CREATE TABLE read_similar_pairs (
        id          uuid        PRIMARY KEY,
        subject     text        NOT NULL,
        first_id    uuid        NOT NULL,
        second_id   uuid        NOT NULL,
        reason      text        NOT NULL,
        since       timestamptz NOT NULL,
        position    bigint      NOT NULL,
        UNIQUE (subject, first_id, second_id),
        CHECK (first_id < second_id)
      )`);
    await db.query(`CREATE INDEX read_similar_pairs_second ON read_similar_pairs (subject, second_id)`);
    await db.query(`CREATE INDEX read_similar_pairs_oldest ON read_similar_pairs (position, id)`);
    await db.query(`
      CREATE TABLE read_dismissed_candidates (
        id            uuid        PRIMARY KEY,
        dismissed_at  timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE read_dismissed_candidates`);
    await db.query(`DROP TABLE read_similar_pairs`);
    await db.query(`DROP TABLE read_similar_keys`);
  }
}
