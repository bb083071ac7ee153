import type { Pool } from 'pg';
import type { Page } from '../../http/pagination';
import { decodeNameCursor, encodeNameCursor } from './name-cursor';
import { subjectIncidentsJson } from './incident-view';
import { searchPrefix } from './subject-search';

export type SubjectKind = 'person' | 'organization';

/** The person and organisation views (docs/api.md, "Admin read API"), built in one statement per page. */
const VIEW: Record<SubjectKind, { table: string; json: string }> = {
  person: {
    table: 'read_persons',
    json: `json_build_object(
      'id', s.id, 'name', s.name, 'aliases', s.aliases, 'status', s.status, 'statusSince', s.status_since->>'value',
      'organizations', coalesce((
        SELECT json_agg(json_build_object('id', m.organization_id, 'name', o.name, 'role', nullif(m.role, '')) ORDER BY m.position)
          FROM read_person_memberships m LEFT JOIN read_organizations o ON o.id = m.organization_id
         WHERE m.person_id = s.id), '[]'::json),
      'incidents', ${subjectIncidentsJson('s.id')})`,
  },
  organization: {
    table: 'read_organizations',
    json: `json_build_object(
      'id', s.id, 'name', s.name, 'aliases', s.aliases, 'status', s.status,
      'members', coalesce((
        SELECT json_agg(json_build_object('id', m.person_id, 'name', p.name, 'role', nullif(m.role, '')) ORDER BY m.position)
          FROM read_person_memberships m LEFT JOIN read_persons p ON p.id = m.person_id
         WHERE m.organization_id = s.id), '[]'::json),
      'incidents', ${subjectIncidentsJson('s.id')})`,
  },
};

export async function findSubject(pool: Pool, kind: SubjectKind, id: string): Promise<object | undefined> {
  const { table, json } = VIEW[kind];
  const { rows } = await pool.query(`SELECT ${json} AS view FROM ${table} s WHERE s.id = $1`, [id]);
  return rows[0]?.view;
}

export async function listSubjects(
  pool: Pool,
  kind: SubjectKind,
  query: { q?: string; limit: number; cursor?: string },
): Promise<Page<object>> {
  const { table, json } = VIEW[kind];
  const after = decodeNameCursor(query.cursor);
  const params: unknown[] = [query.limit + 1];
  const where: string[] = [];
  if (query.q !== undefined) {
    params.push(kind, searchPrefix(query.q));
    where.push(`s.id IN (SELECT subject_id FROM read_name_index WHERE subject = $2 AND key LIKE $3)`);
  }
  if (after) {
    params.push(after.n, after.i);
    where.push(`(s.name, s.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  const { rows } = await pool.query<{ view: object; name: string; id: string }>(
    `SELECT ${json} AS view, s.name, s.id FROM ${table} s
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY s.name, s.id LIMIT $1`,
    params,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => row.view),
    nextCursor: rows.length > query.limit ? encodeNameCursor(page.at(-1)!) : null,
  };
}
