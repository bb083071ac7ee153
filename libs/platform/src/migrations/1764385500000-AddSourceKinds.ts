import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A source's kind (the domain's SOURCE_KINDS, libs/domain/src/sources/source-kinds.ts) and its
 * reliability on the admiralty scale A…F, null until an admin grades it. Every existing source is a
 * human-rights organisation, the default. The CHECKs repeat the domain's lists so that no statement can
 * store another value; the API refuses one with 400 before it gets here.
 *
 * read_incidents gains `sources`, the sources that reported each incident ({id, name, kind, url,
 * reportedAt}), filled here for the incidents already projected exactly as the incidents projection fills
 * it (a rebuild gives the same rows).
 */
export class AddSourceKinds1764385500000 implements MigrationInterface {
  name = 'AddSourceKinds1764385500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE sources
        ADD COLUMN kind text NOT NULL DEFAULT 'hr_ngo'
          CHECK (kind IN ('hr_ngo', 'independent_media', 'state_media', 'official', 'lawyer', 'family', 'witness',
                          'anonymous', 'other')),
        ADD COLUMN reliability text CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F'))`);
    await db.query(`ALTER TABLE read_incidents ADD COLUMN sources jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`
      UPDATE read_incidents i
         SET sources = jsonb_build_array(jsonb_build_object(
               'id', i.source_id, 'name', s.name, 'kind', 'hr_ngo', 'url', i.source->'url', 'reportedAt', i.recorded_at))
        FROM sources s
       WHERE s.id::text = i.source_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE read_incidents DROP COLUMN sources`);
    await db.query(`ALTER TABLE sources DROP COLUMN reliability, DROP COLUMN kind`);
  }
}
