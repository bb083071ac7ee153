import type { Pool } from 'pg';
import { SIMILAR_NAME_REASONS } from '@vigil/domain';
import { keysetPage, type KeysetPage } from '@vigil/platform';
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

/**
 * The open review items, oldest first (by the log position of the name that made the pair), not those an
 * admin dismissed; ($2, $3) the key to start after, or nulls. Possible duplicate incidents and conflicts
 * join here as further kinds, each with its log position and id.
 */
const REVIEW = `
  SELECT json_build_object('id', p.id, 'kind', 'similar_names', 'subject', p.subject,
                           'subjects', json_build_array(${sideOf('first_id')}, ${sideOf('second_id')}),
                           'reason', p.reason, 'since', p.since) AS view,
         p.position::float8 AS position, p.id
    FROM read_similar_pairs p
   WHERE NOT EXISTS (SELECT 1 FROM read_dismissed_candidates d WHERE d.id = p.id)
     AND ($2::bigint IS NULL OR (p.position, p.id) > ($2, $3::uuid))
   ORDER BY p.position, p.id LIMIT $1`;

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

/** A review item by id: its kind, and whether an admin already dismissed it; undefined when there is none. */
export async function findReviewItem(
  pool: Pool,
  id: string,
): Promise<{ kind: 'similar_names'; dismissed: boolean } | undefined> {
  const { rows } = await pool.query<{ dismissed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM read_dismissed_candidates d WHERE d.id = p.id) AS dismissed
       FROM read_similar_pairs p WHERE p.id = $1`,
    [id],
  );
  return rows[0] && { kind: 'similar_names', dismissed: rows[0].dismissed };
}
