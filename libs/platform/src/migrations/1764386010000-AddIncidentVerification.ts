import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * read_incidents gains what corroboration adds to an incident (docs/architecture.md, "Verification" and
 * "Matching"): its `verification`, the open `conflicts` ([{field, values: [{value, sources: [id]}]}]),
 * `possible_duplicates` (ids), `officially_acknowledged`, `merged_into`, and `occurred_on_disputed`
 * (while the date is disputed the row is ordered by the earliest value, and says so). Rows projected
 * before it had one source each and no conflict: their verification follows from their status, and an
 * `official` or `state_media` source among their sources acknowledges them. A rebuild gives the same.
 */
export class AddIncidentVerification1764386010000 implements MigrationInterface {
  name = 'AddIncidentVerification1764386010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE read_incidents
        ADD COLUMN verification            text    NOT NULL DEFAULT 'reported',
        ADD COLUMN conflicts               jsonb   NOT NULL DEFAULT '[]',
        ADD COLUMN possible_duplicates     jsonb   NOT NULL DEFAULT '[]',
        ADD COLUMN officially_acknowledged boolean NOT NULL DEFAULT false,
        ADD COLUMN merged_into             uuid,
        ADD COLUMN occurred_on_disputed    boolean NOT NULL DEFAULT false`);
    await db.query(`
      UPDATE read_incidents
         SET verification = CASE status WHEN 'confirmed' THEN 'confirmed' WHEN 'retracted' THEN 'retracted' ELSE 'reported' END,
             officially_acknowledged = sources @> '[{"kind": "official"}]' OR sources @> '[{"kind": "state_media"}]'`);
    await db.query(`CREATE INDEX read_incidents_verification ON read_incidents (verification)`);
    await db.query(`CREATE INDEX read_incidents_sources ON read_incidents USING gin (sources jsonb_path_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX read_incidents_sources`);
    await db.query(`DROP INDEX read_incidents_verification`);
    await db.query(`
      ALTER TABLE read_incidents
        DROP COLUMN verification, DROP COLUMN conflicts, DROP COLUMN possible_duplicates,
        DROP COLUMN officially_acknowledged, DROP COLUMN merged_into, DROP COLUMN occurred_on_disputed`);
  }
}
