import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriber data sealed at rest (docs/decisions/0012-subscriber-data-sealed-and-erased.md): the address
 * column now holds the address sealed with the row id as associated data, looked up by a keyed HMAC
 * (email_index) instead of lower(email). Watch labels stay in their column, sealed the same way. A
 * migration has no key: rows written before are sealed by the API's pass at start (SubscriberDataSealer).
 * The confirmation-mail log kept an unsalted SHA-256 of each address: those rows go (they only counted
 * the last 24 hours) and the column holds the blind index from now on; so do the label copies of
 * deliveries already sent.
 * And the event log refuses TRUNCATE as it refuses UPDATE and DELETE.
 */
export class SealSubscriberData1764385100000 implements MigrationInterface {
  name = 'SealSubscriberData1764385100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX subscriptions_email`);
    await db.query(`ALTER TABLE subscriptions RENAME COLUMN email TO email_box`);
    await db.query(`ALTER TABLE subscriptions ADD COLUMN email_index bytea`);
    await db.query(
      `CREATE INDEX subscriptions_email_index ON subscriptions (email_index) WHERE email_index IS NOT NULL`,
    );
    // The purge of never-confirmed subscriptions looks for old pending rows.
    await db.query(`CREATE INDEX subscriptions_pending ON subscriptions (created_at) WHERE status = 'pending'`);
    // Labels copied in clear into deliveries already sent serve nothing more than a name in a correction
    // mail; those still to send are sealed by the pass at start.
    await db.query(`UPDATE deliveries SET payload = payload - 'watched' WHERE status IN ('delivered', 'dead')`);
    await db.query(`DELETE FROM confirmation_mail_log`);
    await db.query(`ALTER TABLE confirmation_mail_log RENAME COLUMN address_hash TO address_index`);
    await db.query(`
      CREATE TRIGGER events_not_truncated BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_events_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER events_not_truncated ON events`);
    await db.query(`ALTER TABLE confirmation_mail_log RENAME COLUMN address_index TO address_hash`);
    await db.query(`DROP INDEX subscriptions_pending`);
    await db.query(`DROP INDEX subscriptions_email_index`);
    await db.query(`ALTER TABLE subscriptions DROP COLUMN email_index`);
    await db.query(`ALTER TABLE subscriptions RENAME COLUMN email_box TO email`);
    await db.query(`CREATE INDEX subscriptions_email ON subscriptions (lower(email)) WHERE email IS NOT NULL`);
  }
}
