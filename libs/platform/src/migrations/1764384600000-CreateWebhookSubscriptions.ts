import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner systems watching by webhook: a subscription of channel 'webhook' with a target URL, and the
 * secrets it is signed with, sealed like the sources' (a rotated-out secret also signs for 24 hours, so
 * the receiver can switch without losing an alert). Deliveries keep what the receiver answered.
 */
export class CreateWebhookSubscriptions1764384600000 implements MigrationInterface {
  name = 'CreateWebhookSubscriptions1764384600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE subscriptions ADD COLUMN url text`);
    await db.query(`
      CREATE TABLE subscription_secrets (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id  uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        sealed           text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz
      )`);
    await db.query(
      `CREATE UNIQUE INDEX subscription_secrets_current ON subscription_secrets (subscription_id) WHERE expires_at IS NULL`,
    );
    await db.query(`ALTER TABLE deliveries ADD COLUMN response_status integer, ADD COLUMN response_body text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE deliveries DROP COLUMN response_status, DROP COLUMN response_body`);
    await db.query(`DROP TABLE subscription_secrets`);
    await db.query(`ALTER TABLE subscriptions DROP COLUMN url`);
  }
}
