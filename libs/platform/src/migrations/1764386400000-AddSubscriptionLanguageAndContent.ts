import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an email subscriber chose about their mails (docs/api.md, "Email subscriptions"): the language (`en`,
 * `fa`) and the content level (`full`, or `minimal`: no names in the mail). Existing subscriptions keep what they
 * received so far, English and full. Neither names the subscriber, so both stay in clear beside the sealed
 * address: the worker reads them to render each mail. `paused` is a status a subscriber sets and lifts from the
 * manage page; routing skips it as it skips every status but `active`.
 * Constant defaults: PostgreSQL adds both columns without rewriting the table.
 */
export class AddSubscriptionLanguageAndContent1764386400000 implements MigrationInterface {
  name = 'AddSubscriptionLanguageAndContent1764386400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE subscriptions
        ADD COLUMN language text NOT NULL DEFAULT 'en' CONSTRAINT subscriptions_language_check CHECK (language IN ('en', 'fa')),
        ADD COLUMN content  text NOT NULL DEFAULT 'full' CONSTRAINT subscriptions_content_check CHECK (content IN ('full', 'minimal')),
        DROP CONSTRAINT subscriptions_status_check,
        ADD CONSTRAINT subscriptions_status_check CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed', 'disabled'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE subscriptions SET status = 'active' WHERE status = 'paused'`);
    await db.query(`
      ALTER TABLE subscriptions
        DROP COLUMN language,
        DROP COLUMN content,
        DROP CONSTRAINT subscriptions_status_check,
        ADD CONSTRAINT subscriptions_status_check CHECK (status IN ('pending', 'active', 'unsubscribed', 'disabled'))`);
  }
}
