import type { Pool } from 'pg';
import { keysetPage, type GenericPlanPool, type KeysetPage } from '@vigil/platform';
import { readModelsStampSql } from '@vigil/consumers';
import { statusKey } from '@vigil/projections';
import { JsonText } from '../http/json-text';
import { incidentsOfGroup } from './incident-read-model';
import { groupOf, isMergedAway, survivorOf } from './subject-groups';
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

/**
 * The view of one subject as the admin API shows it, from `read_persons s` or `read_organizations s` and its
 * merge group `g` (subject-groups.ts): the survivor's name, then every other name of the group among the
 * aliases; in a search, how it matched (`match`, the search's rank `h.rank` named by MATCHES); the latest status
 * of any; every membership of any, each organisation (or member) shown as the survivor of its own group;
 * `mergedFrom`, the ids merged into it. Every name is a LATERAL probe by primary key, which no estimate turns into
 * a hash of the whole table (decision 0003).
 *
 * A LATERAL row `subject_view` whose columns are the view's fields in the contract's order, written by `to_json`
 * (no spaces, as the incident view: decision 0031), so that Node sends the text as it is rather than parsing it
 * and writing it again: with the page's twenty views parsed, spread and written back, a search cost Node more
 * than PostgreSQL (docs/decisions/0033-the-subject-view-is-rendered-by-postgresql-too.md).
 */
const VIEWS: Record<SubjectKind, (match: string) => string> = {
  person: (match) => `CROSS JOIN LATERAL (
      SELECT s.id, s.name, s.aliases || ${otherNames('read_persons')} AS aliases, ${match}
             st.status, st.status_since->>'value' AS "statusSince",
             array_to_json(ARRAY(
               SELECT o FROM (SELECT m.organization_id AS id, x.name, nullif(m.role, '') AS role
                  FROM (SELECT DISTINCT ON (1, m.role) ${survivorOf('organization', 'm.organization_id')} AS organization_id, m.role, m.position
                          FROM read_person_memberships m WHERE m.person_id = ANY(g.ids) ORDER BY 1, m.role, m.position) m
                  LEFT JOIN LATERAL (SELECT x.name FROM read_organizations x WHERE x.id = m.organization_id LIMIT 1) x ON true
                 ORDER BY m.position) o)) AS organizations,
             g.merged AS "mergedFrom") subject_view`,
  organization: (match) => `CROSS JOIN LATERAL (
      SELECT s.id, s.name, s.aliases || ${otherNames('read_organizations')} AS aliases, ${match} st.status,
             array_to_json(ARRAY(
               SELECT p FROM (SELECT m.person_id AS id, x.name, nullif(m.role, '') AS role
                  FROM (SELECT DISTINCT ON (1, m.role) ${survivorOf('person', 'm.person_id')} AS person_id, m.role, m.position
                          FROM read_person_memberships m WHERE m.organization_id = ANY(g.ids) ORDER BY 1, m.role, m.position) m
                  LEFT JOIN LATERAL (SELECT x.name FROM read_persons x WHERE x.id = m.person_id LIMIT 1) x ON true
                 ORDER BY m.position) p)) AS members,
             g.merged AS "mergedFrom") subject_view`,
};

/** In a search, `match`: the name of the hit's rank `h.rank` (MATCHES, whose index is the rank). */
const MATCH_COLUMN = `(ARRAY[${MATCHES.map((match) => `'${match}'`).join(', ')}])[h.rank + 1] AS match,`;

/** The names and aliases of the others of the group `g`, as aliases of its survivor. */
function otherNames(table: string): string {
  return `coalesce((SELECT array_agg(x.n ORDER BY m.name, m.id, x.k)
                      FROM unnest(g.merged) AS gid(id)
                      CROSS JOIN LATERAL (SELECT * FROM ${table} m WHERE m.id = gid.id LIMIT 1) m
                      CROSS JOIN LATERAL unnest(array[m.name] || m.aliases) WITH ORDINALITY AS x(n, k)), '{}')`;
}

/**
 * The status the group shows, as `st`: a person's is the latest of its members' (each member's is its latest
 * fact: libs/projections/src/persons.projection.ts, by statusKey); an organisation is dissolved if any is.
 */
const STATUS: Record<SubjectKind, string> = {
  person: `CROSS JOIN LATERAL (
             SELECT m.status, m.status_since FROM unnest(g.ids) AS gid(id)
               CROSS JOIN LATERAL (SELECT * FROM read_persons m WHERE m.id = gid.id LIMIT 1) m
              ORDER BY m.status_from IS NOT NULL DESC, ${statusKey('m.status_from', 'm.status_rank', 'm.status_position')} DESC
              LIMIT 1) st`,
  organization: `CROSS JOIN LATERAL (
             SELECT CASE WHEN bool_or(m.status = 'dissolved') THEN 'dissolved' ELSE 'active' END AS status
               FROM unnest(g.ids) AS gid(id)
                CROSS JOIN LATERAL (SELECT * FROM read_organizations m WHERE m.id = gid.id LIMIT 1) m) st`,
};

const TABLES: Record<SubjectKind, string> = { person: 'read_persons', organization: 'read_organizations' };

/**
 * The view of `s` in the group `g` (VIEWS, after the group's status) and the group's incidents
 * (incident-read-model.ts), each as JSON text: Node puts the incidents in as the view's last field without parsing
 * either, nor joining them here (a busy person's incidents are a megabyte and more).
 */
const viewOf = (kind: SubjectKind, match = '') => ({
  from: `${STATUS[kind]} ${VIEWS[kind](match)}`,
  columns: `to_json(subject_view)::text AS view, ${incidentsOfGroup('g.ids')} AS incidents`,
});

/**
 * The statements of the person and organisation views: one by `id` ($1); the list ($1 the limit, ($2,
 * $3, $4) the key to start after, or nulls); the search ($1 the limit, $2 the search key, ($3, $4, $5)
 * the key to start after, $6 the loose key of similar names or null); the suggestions ($1 the limit, $2 the
 * search key, the rest null: the search's hits, only what starts as `q`, names only). Without `q` every rank
 * is 0: a search's cursor of rank 1 to 3 has nothing after it there.
 */
const statements = (kind: SubjectKind) => ({
  // A merged id answers with its survivor's view; $2 names the projections whose stamp it was read at.
  one: `SELECT ${viewOf(kind).columns}, 0 AS rank, s.name, s.id, ${readModelsStampSql('$2::text[]')} AS stamp
          FROM ${TABLES[kind]} s ${groupOf(kind)} ${viewOf(kind).from}
         WHERE s.id = ${survivorOf(kind, '$1::uuid')}`,
  list: `SELECT ${viewOf(kind).columns}, 0 AS rank, s.name, s.id
           FROM ${TABLES[kind]} s ${groupOf(kind)} ${viewOf(kind).from}
          WHERE ($2::smallint IS NULL OR ($2 = 0 AND (s.name, s.id) > ($3, $4::uuid))) AND NOT ${isMergedAway(kind, 's')}
          ORDER BY s.name, s.id LIMIT $1`,
  // A name of a merged one finds its survivor (the view), keyed for paging by the hit itself; the hits hold
  // one per merge group, its best (subject-search.ts). Each hit's row is a LATERAL probe by primary key: as a
  // plain join, the generic plan (estimating hundreds of hits) hashed the whole table, 100,000 persons a search.
  search: `WITH hits AS MATERIALIZED (${searchHits(kind)})
           SELECT ${viewOf(kind, MATCH_COLUMN).columns}, h.rank, h.name, h.id
             FROM hits h
            CROSS JOIN LATERAL (SELECT ${survivorOf(kind, 'h.id')} AS id) sv
            CROSS JOIN LATERAL (SELECT * FROM ${TABLES[kind]} x WHERE x.id = sv.id LIMIT 1) s
            ${groupOf(kind)} ${viewOf(kind, MATCH_COLUMN).from}
            ORDER BY h.rank, h.name COLLATE "C", h.id`,
  // Whether `id` (or the survivor it was merged into) is a subject, without rendering its view.
  exists: `SELECT 1 FROM ${TABLES[kind]} s WHERE s.id = ${survivorOf(kind, '$1::uuid')}`,
  suggest: `WITH hits AS (${searchHits(kind)})
            SELECT s.name FROM hits h CROSS JOIN LATERAL (SELECT x.name FROM ${TABLES[kind]} x WHERE x.id = h.id LIMIT 1) s
             ORDER BY h.rank, s.name LIMIT $1`,
});

export const SUBJECT_STATEMENTS: Record<SubjectKind, ReturnType<typeof statements>> = {
  person: statements('person'),
  organization: statements('organization'),
};

interface SubjectRow {
  /** The subject's view: JSON text, never parsed here. */
  view: string;
  /** The merge group's incidents, newest first: the JSON text of their views' array, never parsed here. */
  incidents: string;
  rank: number;
  name: string;
  id: string;
}

/**
 * The list runs on the process's pool; a search on the GenericPlanPool, named and by its generic plan in one
 * round trip (decision 0028): it runs on every keystroke of a search box, that plan probes read_name_words'
 * key (subject-search.e2e-spec), and planning each run cost four times the run.
 */
async function readSubjects(
  pools: SubjectPools,
  kind: SubjectKind,
  limit: number,
  query: SubjectQuery,
): Promise<SubjectRow[]> {
  const after = [query.after?.rank ?? null, query.after?.name ?? null, query.after?.id ?? null];
  const { rows } =
    query.q === undefined
      ? await pools.pool.query<SubjectRow>(SUBJECT_STATEMENTS[kind].list, [limit, ...after])
      : await pools.genericPlans.query<SubjectRow>({
          name: `search-${kind}s`,
          text: SUBJECT_STATEMENTS[kind].search,
          values: [limit, searchKey(query.q), ...after, similarKey(query.q)],
        });
  return rows;
}

/** A row's view with the incidents of its merge group, newest first, as the last field. */
const answerOf = (row: SubjectRow): JsonText => JsonText.withLastField(row.view, 'incidents', row.incidents);

/** A subject's view, and the stamp of the read models it was read from (readModelsStamp of `projections`). */
export interface FoundSubject {
  answer: JsonText;
  /** Null before any projection has a checkpoint. */
  stamp: string | null;
}

/** The view of the subject `id` (its survivor's, if it is merged), read in one statement with its stamp. */
export async function findSubject(
  pool: Pool,
  kind: SubjectKind,
  id: string,
  projections: readonly string[],
): Promise<FoundSubject | undefined> {
  const { rows } = await pool.query<SubjectRow & { stamp: string | null }>(SUBJECT_STATEMENTS[kind].one, [
    id,
    projections,
  ]);
  return rows[0] && { answer: answerOf(rows[0]), stamp: rows[0].stamp };
}

/** Whether the subject `id` is there (as itself, or merged into its survivor), as findSubject would find it. */
export async function subjectExists(pool: Pool, kind: SubjectKind, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(SUBJECT_STATEMENTS[kind].exists, [id]);
  return (rowCount ?? 0) > 0;
}

/** The process's pool, and its GenericPlanPool for the search (libs/platform). */
export interface SubjectPools {
  pool: Pool;
  genericPlans: GenericPlanPool;
}

/** A page of subjects; with `q`, each item says how it matched (`match`), best first. */
export async function listSubjects(
  pools: SubjectPools,
  kind: SubjectKind,
  query: SubjectQuery,
): Promise<KeysetPage<JsonText, RankedNameKey>> {
  const rows = await readSubjects(pools, kind, query.limit + 1, query);
  return keysetPage(rows, query.limit, ({ rank, name, id }) => ({ rank, name, id }), answerOf);
}

/**
 * Up to `limit` names of subjects that incidents already made public, whose name, alias or word starts as `q`
 * does (the subscribe form's suggestions): the name only, best match first. A `q` with no letters finds nothing.
 */
export async function suggestNames(
  genericPlans: GenericPlanPool,
  kind: SubjectKind,
  q: string,
  limit: number,
): Promise<string[]> {
  let key: string;
  try {
    key = searchKey(q);
  } catch {
    return [];
  }
  const { rows } = await genericPlans.query<{ name: string }>({
    name: `suggest-${kind}-names`,
    text: SUBJECT_STATEMENTS[kind].suggest,
    // The search's own statement shape: no cursor ($3-$5) and no similar names ($6), only what starts as `q`.
    values: [limit, key, null, null, null, null],
  });
  return rows.map((row) => row.name);
}
