import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every webhook try reads its subscription's valid secrets (the current one and a rotated-out one still
 * in its 24 hours). The partial unique index covers only the current secret, so that read, and the
 * cascade when a subscription is deleted, scanned the whole table.
 */
export class IndexSubscriptionSecrets1764384700000 implements MigrationInterface {
  name = 'IndexSubscriptionSecrets1764384700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX subscription_secrets_by_subscription ON subscription_secrets (subscription_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX subscription_secrets_by_subscription`);
  }
}
