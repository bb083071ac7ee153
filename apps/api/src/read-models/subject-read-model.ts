import type { Pool } from 'pg';
import { keysetPage, type KeysetPage } from '@vigil/platform';
import { incidentsOfSubjects } from './incident-read-model';
import { MATCHES, searchHits, searchKey, similarKey } from './subject-search';

export type SubjectKind = 'person' | 'organization';

/**
 * Persons and organisations are listed by rank, name, then id; that triple is the lists' key. The rank
 * is how a search matched (subject-search.ts), 0 for every subject of a list without `q`; in a search the
 * name is the normalised key the subject matched by (its name's, alias's or word's), the order its index
 * gives, so that a page reads about `limit` rows.
 */
export interface RankedNameKey {
  rank: number;
  name: string;
  id: string;
}

export interface SubjectQuery {
  /** The beginning of any name, alias or word of one. */
  q?: string;
  limit: number;
  after?: RankedNameKey;
}

/** The view of one subject as the admin API shows it, from `read_persons s` or `read_organizations s`. */
const VIEWS: Record<SubjectKind, string> = {
  person: `json_build_object(
              'id', s.id, 'name', s.name, 'aliases', s.aliases, 'status', s.status, 'statusSince', s.status_since->>'value',
              'organizations', coalesce((
                SELECT json_agg(json_build_object('id', m.organization_id, 'name', o.name, 'role', nullif(m.role, '')) ORDER BY m.position)
                  FROM read_person_memberships m LEFT JOIN read_organizations o ON o.id = m.organization_id
                 WHERE m.person_id = s.id), '[]'::json))`,
  organization: `json_build_object(
              'id', s.id, 'name', s.name, 'aliases', s.aliases, 'status', s.status,
              'members', coalesce((
                SELECT json_agg(json_build_object('id', m.person_id, 'name', p.name, 'role', nullif(m.role, '')) ORDER BY m.position)
                  FROM read_person_memberships m LEFT JOIN read_persons p ON p.id = m.person_id
                 WHERE m.organization_id = s.id), '[]'::json))`,
};

const TABLES: Record<SubjectKind, string> = { person: 'read_persons', organization: 'read_organizations' };

/**
 * The statements of the person and organisation views: one by `id` ($1); the list ($1 the limit, ($2,
 * $3, $4) the key to start after, or nulls); the search ($1 the limit, $2 the search key, ($3, $4, $5)
 * the key to start after, $6 the loose key of similar names or null). Without `q` every rank is 0: a
 * search's cursor of rank 1 to 3 has nothing after
 * it there.
 */
const statements = (kind: SubjectKind) => ({
  one: `SELECT ${VIEWS[kind]} AS view, 0 AS rank, s.name, s.id FROM ${TABLES[kind]} s WHERE s.id = $1`,
  list: `SELECT ${VIEWS[kind]} AS view, 0 AS rank, s.name, s.id
           FROM ${TABLES[kind]} s
          WHERE ($2::smallint IS NULL OR ($2 = 0 AND (s.name, s.id) > ($3, $4::uuid)))
          ORDER BY s.name, s.id LIMIT $1`,
  search: `WITH hits AS MATERIALIZED (${searchHits(kind)})
           SELECT ${VIEWS[kind]} AS view, h.rank, h.name, s.id
             FROM hits h CROSS JOIN LATERAL (SELECT * FROM ${TABLES[kind]} s WHERE s.id = h.id) s
            ORDER BY h.rank, h.name COLLATE "C", h.id`,
});

export const SUBJECT_STATEMENTS: Record<SubjectKind, ReturnType<typeof statements>> = {
  person: statements('person'),
  organization: statements('organization'),
};

interface SubjectRow {
  view: { id: string };
  rank: number;
  name: string;
  id: string;
}

async function readSubjects(pool: Pool, kind: SubjectKind, limit: number, query: SubjectQuery): Promise<SubjectRow[]> {
  const after = [query.after?.rank ?? null, query.after?.name ?? null, query.after?.id ?? null];
  const { rows } =
    query.q === undefined
      ? await pool.query<SubjectRow>(SUBJECT_STATEMENTS[kind].list, [limit, ...after])
      : await pool.query<SubjectRow>({
          // Named: it runs on every keystroke of a search box; its generic plan probes read_name_words' key.
          name: `search-${kind}s`,
          text: SUBJECT_STATEMENTS[kind].search,
          values: [limit, searchKey(query.q), ...after, similarKey(query.q)],
        });
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
  const { rows } = await pool.query<SubjectRow>(SUBJECT_STATEMENTS[kind].one, [id]);
  const [view] = await viewsOf(pool, rows);
  return view;
}

/** A page of subjects; with `q`, each item says how it matched (`match`), best first. */
export async function listSubjects(
  pool: Pool,
  kind: SubjectKind,
  query: SubjectQuery,
): Promise<KeysetPage<object, RankedNameKey>> {
  const rows = await readSubjects(pool, kind, query.limit + 1, query);
  const page = keysetPage(
    rows,
    query.limit,
    ({ rank, name, id }) => ({ rank, name, id }),
    (row) => row,
  );
  const views = await viewsOf(pool, page.items);
  return {
    items: query.q === undefined ? views : views.map((view, i) => withMatch(view, MATCHES[page.items[i].rank])),
    next: page.next,
  };
}

/** `match` right after the name and aliases it tells about, before the rest of the view. */
function withMatch(view: object, match: string): object {
  const { id, name, aliases, ...rest } = view as { id: string; name: string; aliases: string[] };
  return { id, name, aliases, match, ...rest };
}
