import type { Pool } from 'pg';
import { SIMILAR_NAME_REASONS, type ReviewKind } from '@vigil/domain';
import { keysetPage, type KeysetPage } from '@vigil/platform';
import { reviewItemIdSql } from '@vigil/projections';
import type { RankedNameKey, SubjectKind } from './subject-read-model';

const TABLES: Record<SubjectKind, string> = { person: 'read_persons', organization: 'read_organizations' };

/**
 * The subjects a pair proposes as maybe the same as `$1`, strongest reason first, then by name and id (the
 * rank is the reason's place in SIMILAR_NAME_REASONS, $5); ($2, $3, $4) the key to start after, or nulls.
 * Dismissed pairs stay listed, marked: they say what an admin already decided.
 */
const similarStatement = (kind: SubjectKind) => `
  SELECT json_build_object('id', s.id, 'name', s.name, 'aliases', s.aliases, 'reason', p.reason,
                           'candidate', p.id, 'since', p.since, 'dismissed', d.id IS NOT NULL) AS view,
         array_position($5::text[], p.reason)::smallint AS rank, s.name, s.id
    FROM read_similar_pairs p
    JOIN ${TABLES[kind]} s ON s.id = CASE WHEN p.first_id = $1::uuid THEN p.second_id ELSE p.first_id END
    LEFT JOIN read_dismissed_candidates d ON d.id = p.id
   WHERE p.subject = '${kind}' AND (p.first_id = $1::uuid OR p.second_id = $1::uuid)
     AND ($2::smallint IS NULL OR (array_position($5::text[], p.reason)::smallint, s.name, s.id) > ($2, $3, $4::uuid))
   ORDER BY 2, s.name, s.id LIMIT $6`;

const SIMILAR: Record<SubjectKind, string> = {
  person: similarStatement('person'),
  organization: similarStatement('organization'),
};

interface SimilarRow {
  view: object;
  rank: number;
  name: string;
  id: string;
}

/** A page of the persons (or organisations) whose names may denote the same one as `id`'s. */
export async function similarSubjects(
  pool: Pool,
  kind: SubjectKind,
  id: string,
  limit: number,
  after: RankedNameKey | undefined,
): Promise<KeysetPage<object, RankedNameKey>> {
  const { rows } = await pool.query<SimilarRow>(SIMILAR[kind], [
    id,
    after?.rank ?? null,
    after?.name ?? null,
    after?.id ?? null,
    SIMILAR_NAME_REASONS,
    limit + 1,
  ]);
  return keysetPage(
    rows,
    limit,
    ({ rank, name, id: subjectId }) => ({ rank, name, id: subjectId }),
    (row) => row.view,
  );
}

/** Where the review list stands: the log position of what made an item, then its id. */
export interface ReviewKey {
  position: number;
  id: string;
}

/** The name of one side of a pair, from the table of its kind. */
const sideOf = (column: string) => `json_build_object('id', p.${column}, 'name',
  CASE p.subject WHEN 'person' THEN (SELECT name FROM read_persons WHERE id = p.${column})
                 ELSE (SELECT name FROM read_organizations WHERE id = p.${column}) END)`;

/** An incident of a review item, from the read_incidents row `x`, with where to read it. */
const incidentOf = (x: string) => `json_build_object('id', ${x}.id, 'type', ${x}.type,
  'occurredOn', ${x}.occurred_on->>'value', 'verification', ${x}.verification, 'href', '/v1/admin/incidents/' || ${x}.id)`;

/** An incident that can still be reviewed: neither merged into another nor retracted. */
const isOpen = (x: string) => `(${x}.merged_into IS NULL AND ${x}.status <> 'retracted')`;

/** The id of the possible duplicate pair of the incident `i` recorded with `other` among its possibleDuplicates. */
const duplicateId = (other: string) => reviewItemIdSql(`'possible_duplicate:' || i.id || ':' || ${other}`);

/** The id of the open conflict of the incident `i` on `field`. */
const conflictId = (field: string) => reviewItemIdSql(`'conflict:' || i.id || ':' || ${field}`);

/** Whether an admin dismissed the item `id` (read_dismissed_candidates, kept by the similar-names projection). */
const dismissed = (id: string) => `EXISTS (SELECT 1 FROM read_dismissed_candidates d WHERE d.id = ${id})`;

/**
 * The open review items, oldest first by the log position of what made each, then by id; ($2, $3) the key to
 * start after, or nulls. Each kind is read in that order up to the limit $1 and the three are merged:
 * - similar_names: a pair of persons or organisations (the similar-names projection), at the later name's position;
 * - possible_duplicate: an incident recorded with possibleDuplicates, one item per other incident, at the
 *   recording's position, until either is merged away or retracted (a merge of one into the other takes the
 *   pair off: the survivor's fold drops the absorbed one) or an admin dismissed it;
 * - conflict: an incident's open conflict, at the position of the ConflictFlagged that opened it
 *   (`conflicts_since`), until it is resolved.
 * The incident kinds read only the incidents in their partial indexes (those with something to review).
 */
const REVIEW = `
  SELECT r.view, r.position, r.id FROM (
    (SELECT json_build_object('id', p.id, 'kind', 'similar_names', 'subject', p.subject,
                              'subjects', json_build_array(${sideOf('first_id')}, ${sideOf('second_id')}),
                              'reason', p.reason, 'since', p.since,
                              'links', json_build_object('dismiss', '/v1/admin/review/' || p.id || '/dismiss',
                                                         'merge', CASE p.subject WHEN 'person' THEN '/v1/admin/persons/'
                                                                  ELSE '/v1/admin/organizations/' END || p.first_id || '/merge')) AS view,
            p.position::float8 AS position, p.id
       FROM read_similar_pairs p
      WHERE NOT ${dismissed('p.id')}
        AND ($2::bigint IS NULL OR (p.position, p.id) > ($2, $3::uuid))
      ORDER BY p.position, p.id LIMIT $1)
    UNION ALL
    (SELECT json_build_object('id', x.id, 'kind', 'possible_duplicate',
                              'incidents', json_build_array(${incidentOf('i')}, ${incidentOf('o')}),
                              'since', i.recorded_at,
                              'links', json_build_object('dismiss', '/v1/admin/review/' || x.id || '/dismiss',
                                                         'merge', '/v1/admin/incidents/' || i.id || '/merge')) AS view,
            i.position::float8 AS position, x.id
       FROM read_incidents i
      CROSS JOIN LATERAL jsonb_array_elements_text(i.possible_duplicates) AS dup(id)
      CROSS JOIN LATERAL (SELECT ${duplicateId('dup.id')} AS id) x
       JOIN read_incidents o ON o.id = dup.id::uuid
      WHERE i.possible_duplicates <> '[]'::jsonb AND ${isOpen('i')} AND ${isOpen('o')} AND NOT ${dismissed('x.id')}
        AND ($2::bigint IS NULL OR (i.position, x.id) > ($2, $3::uuid))
      ORDER BY i.position, x.id LIMIT $1)
    UNION ALL
    (SELECT json_build_object('id', x.id, 'kind', 'conflict', 'incidents', json_build_array(${incidentOf('i')}),
                              'field', c.field, 'values', c.values, 'since', i.conflicts_since->c.field->'at',
                              'links', json_build_object('resolve', '/v1/admin/incidents/' || i.id || '/resolve')) AS view,
            x.position::float8 AS position, x.id
       FROM read_incidents i
      CROSS JOIN LATERAL jsonb_to_recordset(i.conflicts) AS c(field text, "values" jsonb)
      CROSS JOIN LATERAL (SELECT ${conflictId('c.field')} AS id,
                                 (i.conflicts_since->c.field->>'position')::bigint AS position) x
      WHERE i.conflicts <> '[]'::jsonb AND ${isOpen('i')}
        AND ($2::bigint IS NULL OR (x.position, x.id) > ($2, $3::uuid))
      ORDER BY x.position, x.id LIMIT $1)
  ) r
  ORDER BY r.position, r.id LIMIT $1`;

export async function openReviewItems(
  pool: Pool,
  limit: number,
  after: ReviewKey | undefined,
): Promise<KeysetPage<object, ReviewKey>> {
  const { rows } = await pool.query<{ view: object; position: number; id: string }>(REVIEW, [
    limit + 1,
    after?.position ?? null,
    after?.id ?? null,
  ]);
  return keysetPage(
    rows,
    limit,
    ({ position, id }) => ({ position, id }),
    (row) => row.view,
  );
}

/** A review item as the dismissal reads it: its kind, whether it is dismissed, and its incident if it has one. */
export interface ReviewItem {
  kind: ReviewKind;
  dismissed: boolean;
  incidentId: string | null;
}

/**
 * A review item by id, open or dismissed; undefined when there is none (or no more: a possible duplicate
 * whose incidents were merged, a resolved conflict). The incident kinds are looked for among the incidents
 * of their partial indexes.
 */
const FIND = `
  SELECT 'similar_names' AS kind, ${dismissed('p.id')} AS dismissed, NULL::uuid AS incident_id
    FROM read_similar_pairs p WHERE p.id = $1
  UNION ALL
  SELECT 'possible_duplicate', ${dismissed('x.id')}, i.id
    FROM read_incidents i
   CROSS JOIN LATERAL jsonb_array_elements_text(i.possible_duplicates) AS dup(id)
   CROSS JOIN LATERAL (SELECT ${duplicateId('dup.id')} AS id) x
    JOIN read_incidents o ON o.id = dup.id::uuid
   WHERE i.possible_duplicates <> '[]'::jsonb AND x.id = $1
     AND ((${isOpen('i')} AND ${isOpen('o')}) OR ${dismissed('x.id')})
  UNION ALL
  SELECT 'conflict', false, i.id
    FROM read_incidents i CROSS JOIN LATERAL jsonb_to_recordset(i.conflicts) AS c(field text)
   WHERE i.conflicts <> '[]'::jsonb AND ${isOpen('i')} AND ${conflictId('c.field')} = $1
  LIMIT 1`;

export async function findReviewItem(pool: Pool, id: string): Promise<ReviewItem | undefined> {
  const { rows } = await pool.query<{ kind: ReviewKind; dismissed: boolean; incident_id: string | null }>(FIND, [id]);
  return rows[0] && { kind: rows[0].kind, dismissed: rows[0].dismissed, incidentId: rows[0].incident_id };
}
