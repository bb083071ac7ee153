import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of the log's unmerge events (`SubjectReleased`, `SubjectUnmerged`) by stream. A fold of incidents asks,
 * for every person and organisation they name, whether an unmerge released someone from that subject, and if so
 * for the unmerge (UNMERGES_OF_SUBJECTS_SQL in libs/projections/src/incident-folds.ts). Asked of
 * `events_stream_version`, the question read every event of every such stream, a thousand subjects' registrations,
 * aliases and memberships per batch of a rebuild, spread over the whole log; and a planner without statistics of
 * the log (autovacuum has not analysed it yet) guessed each stream a two-hundredth of it and read the whole log for
 * the unmerges instead. Merges are rare: this index holds a few rows, its estimates are small whatever the log's
 * statistics, and a subject never released costs a probe of it and reads no event (docs/scaling.md, "What a fold
 * asked of every subject's stream").
 */
export class IndexUnmergeEvents1764389800000 implements MigrationInterface {
  name = 'IndexUnmergeEvents1764389800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX events_unmerges ON events (stream_id, type) WHERE type IN ('SubjectReleased', 'SubjectUnmerged')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX events_unmerges`);
  }
}
