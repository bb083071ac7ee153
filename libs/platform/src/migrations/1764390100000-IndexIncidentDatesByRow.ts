import { MigrationInterface, QueryRunner } from 'typeorm';
import { DATES_BY_STATEMENT } from './1764390000000-IndexIncidentMatchDates';

/**
 * The index of incident dates (IndexIncidentMatchDates, docs/decisions/0036-candidates-read-by-date.md) is written
 * by a row trigger that fires only for the events that give an incident a date, instead of a statement trigger
 * on every append. The statement trigger ran for every INSERT into `events` and copied each appended row into its
 * transition table, whatever the stream: a one-row append of another stream's event went from about 15,800 to
 * 12,200 a second (pgbench, 8 clients), and `npm run bench -- append` fell to its target's edge (0.56 → 0.50 of a
 * raw insert). The row trigger's WHEN is tested on the row itself before any function is called: 14,100 a second
 * there, 0.52–0.54 in the bench. An incident's events pay the index either way (docs/scaling.md, "One person,
 * fifty reports a second").
 *
 * The WHEN names the event types vigil_incident_dates_of reads. The function stays the rule (it still checks the
 * stream and the type); the WHEN only spares it the events it would return nothing for, so a type added to the
 * function must be added here too, by the same migration. incident-match-dates.int-spec fails when one of today's
 * types is left out; a new type needs a case of its own there.
 */
export class IndexIncidentDatesByRow1764390100000 implements MigrationInterface {
  name = 'IndexIncidentDatesByRow1764390100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER events_index_incident_dates ON events`);
    await db.query(`DROP FUNCTION vigil_index_incident_dates()`);
    await db.query(`
      CREATE FUNCTION vigil_index_incident_date() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO incident_match_dates (incident_id, value, date_from, date_to, month_day)
        SELECT * FROM vigil_incident_dates_of(NEW.stream_id, NEW.type, NEW.data)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER events_index_incident_dates AFTER INSERT ON events FOR EACH ROW
      WHEN (NEW.stream_id LIKE 'incident-%'
            AND (NEW.type LIKE '%Recorded' OR NEW.type IN ('ConflictFlagged', 'ConflictResolved')))
      EXECUTE FUNCTION vigil_index_incident_date()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER events_index_incident_dates ON events`);
    await db.query(`DROP FUNCTION vigil_index_incident_date()`);
    for (const statement of DATES_BY_STATEMENT) await db.query(statement);
  }
}
