import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts by verification (docs/decisions/0016-one-alert-per-causing-append.md):
 *
 * - `subscriptions.min_verification`: how established an incident must be before the subscription hears of
 *   it (the domain's VERIFICATION_THRESHOLDS); every existing subscription keeps hearing of every report.
 * - `alert_incidents`: the alert router's own facts of each incident (its sources, subjects, confirmation,
 *   retraction, open conflicts, merges), one document per incident and the stream version it has applied.
 *   Empty here: the router reads an incident's stream from the log the first time it needs its facts.
 * - deliveries: an incident may now give a subscription several updates of one type (one per new source),
 *   so a delivery is unique by the event that caused it (`cause_position`), and `incident.recorded` stays
 *   unique per (subscription, incident). Existing rows get the position of the event that caused them.
 */
export class RouteByVerification1764386100000 implements MigrationInterface {
  name = 'RouteByVerification1764386100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE subscriptions ADD COLUMN min_verification text NOT NULL DEFAULT 'reported'
        CHECK (min_verification IN ('reported', 'corroborated', 'confirmed'))`);
    await db.query(`
      CREATE TABLE alert_incidents (
        incident_id  uuid   PRIMARY KEY,
        version      bigint NOT NULL,
        merged_into  uuid,
        facts        jsonb  NOT NULL
      )`);

    await db.query(`ALTER TABLE deliveries ADD COLUMN cause_position bigint`);
    // The event that caused each existing row: the recording (version 1), or the incident's confirmation or
    // retraction, the one of each an incident can have.
    await db.query(`
      UPDATE deliveries d SET cause_position = coalesce((
        SELECT min(e.position) FROM events e
         WHERE e.stream_id = 'incident-' || d.incident_id
           AND CASE d.alert_type WHEN 'incident.recorded' THEN e.version = 1
                                 WHEN 'incident.confirmed' THEN e.type = 'IncidentConfirmed'
                                 ELSE e.type = 'IncidentRetracted' END), 0)`);
    // 0 for a row no event caused (none yet: the router always names its cause).
    await db.query(
      `ALTER TABLE deliveries ALTER COLUMN cause_position SET NOT NULL, ALTER COLUMN cause_position SET DEFAULT 0`,
    );
    await db.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_subscription_id_incident_id_alert_type_key`);
    await db.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_alert_type_check`);
    await db.query(`
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_alert_type_check CHECK (alert_type IN (
        'incident.recorded', 'incident.corroborated', 'incident.disputed', 'incident.confirmed', 'incident.retracted'))`);
    await db.query(`
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_once_per_cause
        UNIQUE (subscription_id, incident_id, alert_type, cause_position)`);
    await db.query(`
      CREATE UNIQUE INDEX deliveries_recorded_once ON deliveries (subscription_id, incident_id)
        WHERE alert_type = 'incident.recorded'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM deliveries WHERE alert_type IN ('incident.corroborated', 'incident.disputed')`);
    await db.query(`DROP INDEX deliveries_recorded_once`);
    await db.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_once_per_cause`);
    await db.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_alert_type_check`);
    await db.query(`
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_alert_type_check
        CHECK (alert_type IN ('incident.recorded', 'incident.confirmed', 'incident.retracted'))`);
    await db.query(`
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_subscription_id_incident_id_alert_type_key
        UNIQUE (subscription_id, incident_id, alert_type)`);
    await db.query(`ALTER TABLE deliveries DROP COLUMN cause_position`);
    await db.query(`DROP TABLE alert_incidents`);
    await db.query(`ALTER TABLE subscriptions DROP COLUMN min_verification`);
  }
}
