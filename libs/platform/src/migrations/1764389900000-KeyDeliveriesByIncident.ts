import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two unique keys of `deliveries` led by the incident, and an index of its own for the lookups by
 * subscription. A fan-out writes one row per watcher of one incident: keys led by the subscription put its
 * 100,000 entries on 100,000 leaf pages spread over the whole index, and each alert a watcher had had made those
 * indexes larger and the next fan-out dearer. Led by the incident, the entries of one fan-out share a few hundred
 * adjacent pages. `deliveries_once_per_cause`, led by the incident, serves the lookups by incident that
 * `deliveries_incident` served; the subscriber's page, the erasure and the admin filter by subscription read
 * `deliveries_subscription` (docs/scaling.md, "A subscriber's history").
 */
export class KeyDeliveriesByIncident1764389900000 implements MigrationInterface {
  name = 'KeyDeliveriesByIncident1764389900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX deliveries_recorded_once`);
    await db.query(
      `CREATE UNIQUE INDEX deliveries_recorded_once ON deliveries (incident_id, subscription_id)
        WHERE alert_type = 'incident.recorded'`,
    );
    await db.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_once_per_cause`);
    await db.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_once_per_cause
         UNIQUE (incident_id, subscription_id, alert_type, cause_position)`,
    );
    await db.query(`DROP INDEX deliveries_incident`);
    await db.query(`CREATE INDEX deliveries_subscription ON deliveries (subscription_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX deliveries_subscription`);
    await db.query(`CREATE INDEX deliveries_incident ON deliveries (incident_id)`);
    await db.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_once_per_cause`);
    await db.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_once_per_cause
         UNIQUE (subscription_id, incident_id, alert_type, cause_position)`,
    );
    await db.query(`DROP INDEX deliveries_recorded_once`);
    await db.query(
      `CREATE UNIQUE INDEX deliveries_recorded_once ON deliveries (subscription_id, incident_id)
        WHERE alert_type = 'incident.recorded'`,
    );
  }
}
