import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of the log's `SubjectReleased` events by stream. A fold of incidents asks, for every person and
 * organisation they name, whether an unmerge released someone from that subject (withUnmerges in
 * libs/projections/src/incident-folds.ts). Asked of `events_stream_version`, the question read every event of
 * every such stream: a thousand subjects' registrations, aliases and memberships per batch of a rebuild, spread
 * over the whole log, so that a rebuild's reads grew with the log once it outgrew PostgreSQL's buffers
 * (docs/scaling.md, "What a fold asked of every subject's stream"). Merges are rare: the index holds a few rows,
 * and a probe for a subject never released reads no event at all.
 */
export class IndexSubjectReleases1764389800000 implements MigrationInterface {
  name = 'IndexSubjectReleases1764389800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX events_subject_released ON events (stream_id) WHERE type = 'SubjectReleased'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX events_subject_released`);
  }
}
