import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partners that report through the signed webhook, and their secrets. A secret is kept sealed
 * (AES-256-GCM under SECRETS_KEY, see SecretBox), never in clear, so a dump alone does not let anyone
 * sign reports. Rotation keeps the old secret for a while: `expires_at` is null for the current one and
 * set for a rotated-out one, which verifies until then.
 */
export class CreateSources1764384100000 implements MigrationInterface {
  name = 'CreateSources1764384100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sources (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE source_secrets (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source_id   uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        sealed      text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz
      )`);
    // One current secret per source, whatever two rotations at once try to do.
    await db.query(`CREATE UNIQUE INDEX source_secrets_current ON source_secrets (source_id) WHERE expires_at IS NULL`);
    await db.query(`CREATE INDEX source_secrets_by_source ON source_secrets (source_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE source_secrets`);
    await db.query(`DROP TABLE sources`);
  }
}
