import type { Pool } from 'pg';
import { keysetPage, type KeysetPage } from '@vigil/platform';
import { newestOccurredFirst, occurredKey, yearKnown } from '@vigil/projections';
import { JsonText } from '../http/json-text';
import { INCIDENT_VIEW, INCIDENT_VIEW_JSON } from './incident-view';
import { groupIdsOf } from './subject-groups';
import type { IncidentsQueryDto } from './incidents-query.dto';

// The order's one home is libs/projections/src/occurred-order.ts; these are constant SQL, not input.
const NEWEST_FIRST = newestOccurredFirst('i');
const OCCURRED_KEY = occurredKey('i');
// A day without a year is inside no range of days: a `from`/`to` filter leaves it out.
const YEAR_KNOWN = yearKnown('i');

/**
 * Every read of read_incidents. Incidents go newest first: by the day their date starts, the more
 * precise of equal starts first, then the later report (`position`); that triple is the list's key.
 * A day without a year comes first (occurredFrom `infinity`: it sorts after every dated one).
 */
export interface IncidentKey {
  occurredFrom: string;
  precisionRank: number;
  position: number;
}

export async function findIncident(pool: Pool, id: string): Promise<JsonText | undefined> {
  const { rows } = await pool.query<{ view: string }>(
    `SELECT ${INCIDENT_VIEW_JSON} AS view FROM read_incidents i ${INCIDENT_VIEW} WHERE i.id = $1`,
    [id],
  );
  return rows[0] && JsonText.of(rows[0].view);
}

/** Filtered, newest first, `limit` at a time after the key of the previous page's last incident. */
export async function listIncidents(
  pool: Pool,
  query: IncidentsQueryDto,
  after?: IncidentKey,
): Promise<KeysetPage<JsonText, IncidentKey>> {
  // The key beside the view: `occurred_from` as to_json writes a date (`infinity` for a day without a year).
  const { rows } = await pool.query<IncidentKey & { view: string }>(
    `SELECT ${INCIDENT_VIEW_JSON} AS view, to_json(i.occurred_from) #>> '{}' AS "occurredFrom",
            i.precision_rank AS "precisionRank", i.position
       FROM read_incidents i ${INCIDENT_VIEW}
      WHERE ($2::text IS NULL OR i.type = $2)
        -- a person's or organisation's incidents are those of its merge group (subject-groups.ts)
        AND ($3::uuid IS NULL OR i.id IN (SELECT incident_id FROM read_incident_subjects
                                           WHERE subject_id IN ${groupIdsOf('person', '$3::uuid')}))
        AND ($4::uuid IS NULL OR i.id IN (SELECT incident_id FROM read_incident_subjects
                                           WHERE subject_id IN ${groupIdsOf('organization', '$4::uuid')}))
        AND ($5::date IS NULL OR (i.occurred_to >= $5 AND ${YEAR_KNOWN}))
        AND ($6::date IS NULL OR (i.occurred_from <= $6 AND ${YEAR_KNOWN}))
        AND ($7::date IS NULL OR ${OCCURRED_KEY} < ($7, $8::smallint, $9::bigint))
        AND ($10::text IS NULL OR i.verification = $10)
        AND ($11::text IS NULL OR i.sources @> jsonb_build_array(jsonb_build_object('id', $11::text)))
      ORDER BY ${NEWEST_FIRST}
      LIMIT $1`,
    [
      query.limit + 1,
      query.type ?? null,
      query.personId ?? null,
      query.organizationId ?? null,
      query.from ?? null,
      query.to ?? null,
      after?.occurredFrom ?? null,
      after?.precisionRank ?? null,
      after?.position ?? null,
      query.verification ?? null,
      query.sourceId ?? null,
    ],
  );
  return keysetPage(
    rows,
    query.limit,
    ({ occurredFrom, precisionRank, position }) => ({ occurredFrom, precisionRank, position }),
    ({ view }) => JsonText.of(view),
  );
}

/**
 * The incidents of the merge group `ids` (an SQL expression of a uuid[]: the subject and everyone merged into
 * it, subject-groups.ts), each once, newest first: the JSON text of the array of their views (incident-view.ts),
 * `[]` for none. A column of the subject views' own statement (subject-read-model.ts), not a second statement:
 * one round trip a page (decision 0028). Each member is a probe of read_incident_subjects' key and each incident
 * one of read_incidents' (decision 0003): as a join, the search's generic plan hashed the member list against
 * read_incident_subjects read whole, for every subject of a page.
 */
export const incidentsOfGroup = (ids: string): string => `coalesce((
  SELECT '[' || string_agg(${INCIDENT_VIEW_JSON}, ',' ORDER BY ${NEWEST_FIRST}) || ']'
    FROM (SELECT DISTINCT si.incident_id FROM unnest(${ids}) AS gid(id)
           CROSS JOIN LATERAL (SELECT x.incident_id FROM read_incident_subjects x WHERE x.subject_id = gid.id OFFSET 0) si) g
   CROSS JOIN LATERAL (SELECT * FROM read_incidents x WHERE x.id = g.incident_id LIMIT 1) i
   ${INCIDENT_VIEW}), '[]')`;
