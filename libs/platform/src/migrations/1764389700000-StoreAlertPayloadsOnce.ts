import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `alert_payloads`: the incident as the watchers of one alert receive it, stored once per alert rather than
 * copied into each of its delivery rows (docs/decisions/0032-a-payload-stored-once-per-alert.md). An alert is
 * keyed as its rows are: the incident and the log position of the append that caused it (decision 0016), and
 * every row of one alert was routed from the same facts, so one document serves them all.
 *
 * `deliveries.payload` keeps what is the row's own, what it matched and the labels watched (sealed: personal,
 * erased with the subscriber). Existing rows' copies move here, one per (incident, cause), the newest row's;
 * a row whose copy differs from it (written before decision 0016 gave rows their cause, or by hand) keeps its
 * own, which the reads let win (libs/alerts/src/alert-payloads.ts). down() puts each row's copy back.
 */
export class StoreAlertPayloadsOnce1764389700000 implements MigrationInterface {
  name = 'StoreAlertPayloadsOnce1764389700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alert_payloads (
        incident_id     uuid NOT NULL,
        cause_position  bigint NOT NULL,
        incident        jsonb NOT NULL,
        PRIMARY KEY (incident_id, cause_position)
      )`);
    await db.query(`
      INSERT INTO alert_payloads (incident_id, cause_position, incident)
      SELECT DISTINCT ON (incident_id, cause_position) incident_id, cause_position, payload->'incident'
        FROM deliveries WHERE payload ? 'incident'
       ORDER BY incident_id, cause_position, created_at DESC, id DESC`);
    await db.query(`
      UPDATE deliveries d SET payload = d.payload - 'incident'
        FROM alert_payloads p
       WHERE p.incident_id = d.incident_id AND p.cause_position = d.cause_position AND d.payload->'incident' = p.incident`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE deliveries d SET payload = jsonb_build_object('incident', p.incident) || d.payload
        FROM alert_payloads p
       WHERE p.incident_id = d.incident_id AND p.cause_position = d.cause_position AND NOT d.payload ? 'incident'`);
    await db.query(`DROP TABLE alert_payloads`);
  }
}
