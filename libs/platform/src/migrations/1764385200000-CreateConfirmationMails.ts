import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Confirmation mails go the durable way alerts go: a row says what must go out, a job in the mail queue
 * points at it, the worker sends and records the outcome, the retry schedule and the sweeper finish what
 * a failure or a lost job left. The token of the link and what the mail lists are sealed, and dropped
 * once the row is finished; the address is read from the subscription when the mail is sent.
 */
export class CreateConfirmationMails1764385200000 implements MigrationInterface {
  name = 'CreateConfirmationMails1764385200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE confirmation_mails (
        id               uuid PRIMARY KEY,
        subscription_id  uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        content_box      text,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
        attempts         integer NOT NULL DEFAULT 0,
        last_error       text,
        last_attempt_at  timestamptz,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX confirmation_mails_unfinished ON confirmation_mails (created_at) WHERE status IN ('pending', 'failed')`,
    );
    await db.query(`CREATE INDEX confirmation_mails_subscription ON confirmation_mails (subscription_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE confirmation_mails`);
  }
}
