import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the admin console (docs/decisions/0020-admin-console-sessions.md): only the SHA-256 of each
 * session id is kept, so a copy of the database signs no one in; a session ends at `expires_at` or on sign-out.
 */
export class CreateAdminSessions1764386500000 implements MigrationInterface {
  name = 'CreateAdminSessions1764386500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE admin_sessions (
        id_hash bytea PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE admin_sessions`);
  }
}
