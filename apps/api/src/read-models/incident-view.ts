/**
 * The incident as the admin API shows it, alone, in lists and in the person and organisation views: rendered
 * as JSON by PostgreSQL from a row `i` of read_incidents, and passed to the answer as that text (JsonText),
 * never parsed and written again in Node: a person in 1,000 incidents is a 1.5 MB answer, and Node's JSON work on
 * it cost more than the whole read (docs/decisions/0031-the-incident-view-is-rendered-by-postgresql.md).
 *
 * Join INCIDENT_VIEW after the row `i` and select INCIDENT_VIEW_JSON. `to_json` of a row writes its columns in
 * order, by their names, without spaces: the field order of the answer is the order below. Dates are
 * `YYYY-MM-DD` (`infinity` for a day without a year), times with microseconds, as `to_json` writes them; the jsonb
 * columns (details, source, sources, conflicts...) as PostgreSQL writes jsonb (a space after `:` and `,`).
 */
export const INCIDENT_VIEW = `CROSS JOIN LATERAL (
  SELECT i.id, i.type, i.occurred_on->'value' AS "occurredOn", i.occurred_on->'precision' AS "occurredOnPrecision",
         -- A day without a year (\`--06-11\`, precision 'month-day') has no range of days.
         CASE WHEN i.occurred_on->>'precision' = 'month-day' THEN NULL ELSE incident_days END AS "occurredOnRange",
         i.occurred_on->'original' AS "occurredOnOriginal",
         -- Sources disagree on the date (see \`conflicts\`): the incident is ordered by the earliest value.
         i.occurred_on_disputed AS "occurredOnDisputed",
         array_to_json(ARRAY(SELECT named FROM (SELECT p.value->'personId' AS id, p.value->'name' AS name
                                                  FROM jsonb_array_elements(i.persons) WITH ORDINALITY AS p
                                                 ORDER BY p.ordinality) named)) AS persons,
         array_to_json(ARRAY(SELECT named FROM (SELECT o.value->'organizationId' AS id, o.value->'name' AS name
                                                  FROM jsonb_array_elements(i.organizations) WITH ORDINALITY AS o
                                                 ORDER BY o.ordinality) named)) AS organizations,
         i.location, i.details, i.summary, i.source, i.source_id AS "sourceId",
         -- Partners that reported it through the signed webhook; what an admin entered is not listed (its
         -- \`source\` is the citation the admin typed, not a registered source), though it counts as one voice.
         i.sources, i.external_id AS "externalId", i.status, i.verification, i.conflicts,
         i.possible_duplicates AS "possibleDuplicates", i.officially_acknowledged AS "officiallyAcknowledged",
         -- Set once an admin merged it into another incident: that one holds its sources and subjects now.
         i.merged_into AS "mergedInto", i.confirmed_by AS "confirmedBy", i.retraction_reason AS "retractionReason",
         i.recorded_at AS "recordedAt", i.position
    FROM (SELECT i.occurred_from AS "from", i.occurred_to AS "to") incident_days) incident_view`;

/** The view joined by INCIDENT_VIEW, as JSON text. */
export const INCIDENT_VIEW_JSON = 'to_json(incident_view)::text';
