import type { Pool } from 'pg';
import { keysetPage, type KeysetPage } from '@vigil/platform';
import { incidentsOfSubjects } from './incident-read-model';
import { searchPrefix } from './subject-search';

export type SubjectKind = 'person' | 'organization';

/** Persons and organisations are listed by name, then id; that pair is the list's key. */
export interface NameKey {
  name: string;
  id: string;
}

export interface SubjectQuery {
  /** Any name or alias, or the start of one. */
  q?: string;
  limit: number;
  after?: NameKey;
}

/**
 * The person and organisation views of the admin API: one statement for the page (a single one by `id`,
 * or a list), one for the incidents of all its subjects. $2 is an id, $3 a search prefix of name keys,
 * ($4, $5) the key to start after; each is null when not asked for.
 */
const STATEMENTS: Record<SubjectKind, string> = {
  person: `SELECT json_build_object(
              'id', s.id, 'name', s.name, 'aliases', s.aliases, 'status', s.status, 'statusSince', s.status_since->>'value',
              'organizations', coalesce((
                SELECT json_agg(json_build_object('id', m.organization_id, 'name', o.name, 'role', nullif(m.role, '')) ORDER BY m.position)
                  FROM read_person_memberships m LEFT JOIN read_organizations o ON o.id = m.organization_id
                 WHERE m.person_id = s.id), '[]'::json)) AS view,
            s.name, s.id
       FROM read_persons s
      WHERE ($2::uuid IS NULL OR s.id = $2)
        AND ($3::text IS NULL OR s.id IN (SELECT subject_id FROM read_name_index WHERE subject = 'person' AND key LIKE $3))
        AND ($4::text IS NULL OR (s.name, s.id) > ($4, $5::uuid))
      ORDER BY s.name, s.id LIMIT $1`,
  organization: `SELECT json_build_object(
              'id', s.id, 'name', s.name, 'aliases', s.aliases, 'status', s.status,
              'members', coalesce((
                SELECT json_agg(json_build_object('id', m.person_id, 'name', p.name, 'role', nullif(m.role, '')) ORDER BY m.position)
                  FROM read_person_memberships m LEFT JOIN read_persons p ON p.id = m.person_id
                 WHERE m.organization_id = s.id), '[]'::json)) AS view,
            s.name, s.id
       FROM read_organizations s
      WHERE ($2::uuid IS NULL OR s.id = $2)
        AND ($3::text IS NULL OR s.id IN (SELECT subject_id FROM read_name_index WHERE subject = 'organization' AND key LIKE $3))
        AND ($4::text IS NULL OR (s.name, s.id) > ($4, $5::uuid))
      ORDER BY s.name, s.id LIMIT $1`,
};

interface SubjectRow {
  view: { id: string };
  name: string;
  id: string;
}

async function readSubjects(
  pool: Pool,
  kind: SubjectKind,
  limit: number,
  filter: { id?: string; prefix?: string; after?: NameKey },
): Promise<SubjectRow[]> {
  const { rows } = await pool.query<SubjectRow>(STATEMENTS[kind], [
    limit,
    filter.id ?? null,
    filter.prefix ?? null,
    filter.after?.name ?? null,
    filter.after?.id ?? null,
  ]);
  return rows;
}

/** Each row's view with its incidents, newest first, as the last field. */
async function viewsOf(pool: Pool, rows: SubjectRow[]): Promise<object[]> {
  const incidents = await incidentsOfSubjects(
    pool,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row.view, incidents: incidents.get(row.id) }));
}

export async function findSubject(pool: Pool, kind: SubjectKind, id: string): Promise<object | undefined> {
  const [view] = await viewsOf(pool, await readSubjects(pool, kind, 1, { id }));
  return view;
}

export async function listSubjects(
  pool: Pool,
  kind: SubjectKind,
  query: SubjectQuery,
): Promise<KeysetPage<object, NameKey>> {
  const prefix = query.q === undefined ? undefined : searchPrefix(query.q);
  const rows = await readSubjects(pool, kind, query.limit + 1, { prefix, after: query.after });
  const page = keysetPage(
    rows,
    query.limit,
    ({ name, id }) => ({ name, id }),
    (row) => row,
  );
  return { items: await viewsOf(pool, page.items), next: page.next };
}
