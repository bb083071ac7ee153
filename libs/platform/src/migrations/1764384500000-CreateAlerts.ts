import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions and deliveries live in ordinary tables, never in the event log: an address must be
 * erasable. A delivery row is the durable record of one alert to one subscription; BullMQ jobs only
 * point at it (jobId = delivery id).
 */
export class CreateAlerts1764384500000 implements MigrationInterface {
  name = 'CreateAlerts1764384500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE subscriptions (
        id                      uuid PRIMARY KEY,
        channel                 text NOT NULL CHECK (channel IN ('email', 'webhook')),
        email                   text,
        status                  text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'disabled')),
        types                   text[],
        confirm_token_hash      bytea UNIQUE,
        confirm_expires_at      timestamptz,
        unsubscribe_token_hash  bytea UNIQUE,
        -- The unsubscribe link goes into every alert mail, so the token is kept encrypted as well as hashed.
        unsubscribe_token_box   text,
        created_at              timestamptz NOT NULL DEFAULT now(),
        confirmed_at            timestamptz,
        ended_at                timestamptz
      )`);
    await db.query(`CREATE INDEX subscriptions_email ON subscriptions (lower(email)) WHERE email IS NOT NULL`);
    await db.query(`
      CREATE TABLE subscription_watches (
        subscription_id  uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        subject          text NOT NULL CHECK (subject IN ('person', 'organization')),
        subject_id       uuid,
        key              text,
        label            text NOT NULL,
        CHECK (subject_id IS NOT NULL OR key IS NOT NULL)
      )`);
    await db.query(
      `CREATE INDEX subscription_watches_by_id ON subscription_watches (subject, subject_id) WHERE subject_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX subscription_watches_by_key ON subscription_watches (subject, key) WHERE key IS NOT NULL`,
    );
    await db.query(`CREATE INDEX subscription_watches_subscription ON subscription_watches (subscription_id)`);
    // Confirmation mails sent per address (hashed) per day: the flood guard of the public endpoint.
    await db.query(`
      CREATE TABLE confirmation_mail_log (
        address_hash  bytea       NOT NULL,
        sent_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX confirmation_mail_log_recent ON confirmation_mail_log (address_hash, sent_at)`);

    // alert-router's own view of who is who: every key of every subject, and memberships.
    await db.query(`
      CREATE TABLE alert_subject_keys (
        subject     text NOT NULL,
        key         text NOT NULL,
        subject_id  uuid NOT NULL,
        PRIMARY KEY (subject, key, subject_id)
      )`);
    await db.query(`CREATE INDEX alert_subject_keys_by_id ON alert_subject_keys (subject, subject_id)`);
    await db.query(`
      CREATE TABLE alert_memberships (
        person_id        uuid NOT NULL,
        organization_id  uuid NOT NULL,
        PRIMARY KEY (person_id, organization_id)
      )`);

    await db.query(`
      CREATE TABLE deliveries (
        id               uuid PRIMARY KEY,
        channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
        subscription_id  uuid NOT NULL,
        incident_id      uuid NOT NULL,
        alert_type       text NOT NULL CHECK (alert_type IN ('incident.recorded', 'incident.confirmed', 'incident.retracted')),
        payload          jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
        attempts         integer NOT NULL DEFAULT 0,
        last_error       text,
        last_attempt_at  timestamptz,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, incident_id, alert_type)
      )`);
    await db.query(
      `CREATE INDEX deliveries_unfinished ON deliveries (created_at) WHERE status IN ('pending', 'failed')`,
    );
    await db.query(`CREATE INDEX deliveries_incident ON deliveries (incident_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'deliveries',
      'alert_memberships',
      'alert_subject_keys',
      'confirmation_mail_log',
      'subscription_watches',
      'subscriptions',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
