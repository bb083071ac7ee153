import { MigrationInterface, QueryRunner } from 'typeorm';
import { MATCH_CANDIDATES_FUNCTION } from './1764387100000-CreateRecordReportFunction';
import { RECORD_REPORTS } from './1764387600000-RecordReportsInBatches';

/**
 * A report's candidates are read by date as well as by person (docs/decisions/0036-candidates-read-by-date.md):
 * a famous prisoner's thousand arrests made each report about her read, fold and check a thousand incidents.
 *
 * incident_match_dates lists every date an incident's events gave it: the recording's `occurredOn`, each value
 * of a date conflict, the value an admin settled one on. Rows are only added, never removed: a date the incident
 * no longer has only makes it a candidate the rule then finds different. Each row keeps the date's Gregorian
 * range (none for a day without a year) and, for a day with or without a year, its month and day (`-MM-DD`).
 *
 * A trigger on `events` writes them (a statement trigger here; IndexIncidentDatesByRow made it a row trigger that
 * only an incident's dated events fire), in the transaction of the append, from the events themselves: every
 * writer of an incident's date (the intake's function, an admin's resolution, a separation, whatever comes next)
 * keeps the index with the log without knowing of it, and the backfill below reads the log by the same function.
 * The incident streams are those named `incident-…` (STREAM_ID_PREFIXES in libs/domain; a migration is a
 * snapshot and does not follow the constant).
 *
 * vigil_match_candidates gains the report's date window (matchDateWindow in libs/domain: its range, a day's
 * widened by the conflict window, and a day's month and day) and reads only the incidents with a date in it;
 * vigil_record_reports passes each report's window (`dateFrom`, `dateTo`, `monthDay`), so the check under the
 * lock compares the same set the decision read. The rest of vigil_record_reports is RecordReportsInBatches' own.
 */
export class IndexIncidentMatchDates1764390000000 implements MigrationInterface {
  name = 'IndexIncidentMatchDates1764390000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE incident_match_dates (
        incident_id  uuid NOT NULL,
        value        text NOT NULL,
        date_from    date,
        date_to      date,
        month_day    text,
        PRIMARY KEY (incident_id, value)
      )`);
    await db.query(INCIDENT_DATES_OF);
    for (const statement of DATES_BY_STATEMENT) await db.query(statement);
    await db.query(`
      INSERT INTO incident_match_dates (incident_id, value, date_from, date_to, month_day)
      SELECT d.* FROM events e CROSS JOIN LATERAL vigil_incident_dates_of(e.stream_id, e.type, e.data) d
       WHERE e.stream_id LIKE 'incident-%'
      ON CONFLICT DO NOTHING`);
    await db.query(MATCH_CANDIDATES_BY_DATE);
    // RecordReportsInBatches' function with the window passed on: two edits of its text, each checked.
    const withWindow = [
      ['CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'],
      [
        'type text, subjects text[], "subjectIds" uuid[], candidates jsonb,',
        'type text, subjects text[], "subjectIds" uuid[], candidates jsonb, "dateFrom" date, "dateTo" date, "monthDay" text,',
      ],
      [
        'v_report."subjectIds", p_incident_prefix) c;',
        'v_report."subjectIds", p_incident_prefix,\n' +
          '                                  v_report."dateFrom", v_report."dateTo", v_report."monthDay") c;',
      ],
    ].reduce((text, [from, to]) => replaceOnce(text, from, to), RECORD_REPORTS);
    await db.query(withWindow);
    await db.query(`DROP FUNCTION vigil_match_candidates(text, text[], uuid[], text)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(MATCH_CANDIDATES_FUNCTION);
    await db.query(`DROP FUNCTION vigil_record_reports(jsonb, text)`);
    await db.query(RECORD_REPORTS);
    await db.query(`DROP FUNCTION vigil_match_candidates(text, text[], uuid[], text, date, date, text)`);
    await db.query(`DROP TRIGGER events_index_incident_dates ON events`);
    await db.query(`DROP FUNCTION vigil_index_incident_dates()`);
    await db.query(`DROP FUNCTION vigil_incident_dates_of(text, text, jsonb)`);
    await db.query(`DROP TABLE incident_match_dates`);
  }
}

/**
 * The trigger's first form: a statement trigger reading the appended rows from its transition table. Exported for
 * IndexIncidentDatesByRow, which replaced it and puts it back when migrated down.
 */
export const DATES_BY_STATEMENT = [
  `CREATE FUNCTION vigil_index_incident_dates() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO incident_match_dates (incident_id, value, date_from, date_to, month_day)
     SELECT d.* FROM appended a CROSS JOIN LATERAL vigil_incident_dates_of(a.stream_id, a.type, a.data) d
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER events_index_incident_dates AFTER INSERT ON events
   REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION vigil_index_incident_dates()`,
];

/** `text` with `from` replaced by `to`, where `from` occurs exactly once. */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected one ${JSON.stringify(from)}, found ${parts.length - 1}`);
  return parts.join(to);
}

/**
 * vigil_incident_dates_of(stream id, event type, data) → the index rows of the dates one event gives an incident:
 * a recording's (or a separated incident's) `occurredOn`, every value of a date conflict flagged, and the value
 * an admin resolved one with. Nothing for another stream's events (a membership's `occurredOn` is the
 * organisation's), nor for a source's own date (SourceAdded): the rule reads an incident's date or, while it is
 * disputed, the conflict's values, which list every day its sources gave.
 */
const INCIDENT_DATES_OF = `
CREATE FUNCTION vigil_incident_dates_of(p_stream_id text, p_type text, p_data jsonb)
RETURNS TABLE (incident_id uuid, value text, date_from date, date_to date, month_day text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT ON (d->>'value')
         (p_data->>'incidentId')::uuid, d->>'value', (d->>'from')::date, (d->>'to')::date,
         CASE d->>'precision' WHEN 'day' THEN substr(d->>'value', 5) WHEN 'month-day' THEN substr(d->>'value', 2) END
    FROM (SELECT p_data->'occurredOn' WHERE p_type LIKE '%Recorded'
          UNION ALL
          SELECT v->'value' FROM jsonb_array_elements(p_data->'values') v
           WHERE p_type = 'ConflictFlagged' AND p_data->>'field' = 'occurredOn'
          UNION ALL
          SELECT p_data->'value' WHERE p_type = 'ConflictResolved' AND p_data->>'field' = 'occurredOn') dates(d)
   WHERE p_stream_id LIKE 'incident-%' AND d IS NOT NULL AND jsonb_typeof(d) = 'object'
$$`;

/**
 * vigil_match_candidates(type, subjects, subject ids, incident stream prefix, window from, window to, month and
 * day) → (incident id, version): the incidents of the type naming one of the subjects with a date in the
 * report's window, each with its stream's version. Each subject's incidents are one index probe (OFFSET 0, as
 * before: no join over every incident of the type), each of them one probe of its dates (LIMIT 1 keeps it a probe
 * rather than a join over every incident's dates), and only those in the window one probe of their stream's head.
 */
const MATCH_CANDIDATES_BY_DATE = `
CREATE FUNCTION vigil_match_candidates(
  p_type text, p_subjects text[], p_subject_ids uuid[], p_incident_prefix text,
  p_from date, p_to date, p_month_day text
) RETURNS TABLE (incident_id uuid, version bigint) LANGUAGE sql STABLE AS $$
  SELECT c.incident_id, h.version
    FROM (SELECT DISTINCT m.incident_id
            FROM unnest(p_subjects, p_subject_ids) AS s(subject, subject_id)
            CROSS JOIN LATERAL (SELECT incident_id FROM incident_match_subjects m
                                 WHERE m.incident_type = p_type AND m.subject = s.subject
                                   AND m.subject_id = s.subject_id
                                 OFFSET 0) m
            CROSS JOIN LATERAL (SELECT 1 FROM incident_match_dates d
                                 WHERE d.incident_id = m.incident_id
                                   AND (d.date_from <= p_to AND d.date_to >= p_from
                                        OR d.month_day = p_month_day AND (d.date_from IS NULL OR p_from IS NULL))
                                 LIMIT 1) d) c
   CROSS JOIN LATERAL (SELECT version FROM events e
                        WHERE e.stream_id = p_incident_prefix || c.incident_id
                        ORDER BY version DESC LIMIT 1) h
$$`;
