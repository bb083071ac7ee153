import type { Pool } from 'pg';
import { decodeCursor, encodeCursor, type Page } from '../../http/pagination';
import { INCIDENT_JSON, NEWEST_FIRST } from './incident-view';
import type { IncidentsQueryDto } from './incidents-query.dto';

interface IncidentCursor extends Record<string, unknown> {
  f: string;
  r: number;
  p: number;
}

const isIncidentCursor = (v: unknown): v is IncidentCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as IncidentCursor).f === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test((v as IncidentCursor).f) &&
  Number.isInteger((v as IncidentCursor).r) &&
  Number.isSafeInteger((v as IncidentCursor).p);

export async function findIncident(pool: Pool, id: string): Promise<object | undefined> {
  const { rows } = await pool.query(`SELECT ${INCIDENT_JSON} AS view FROM read_incidents i WHERE i.id = $1`, [id]);
  return rows[0]?.view;
}

/** Filtered, newest first, keyset-paged on the sort columns. */
export async function listIncidents(pool: Pool, query: IncidentsQueryDto): Promise<Page<object>> {
  const params: unknown[] = [query.limit + 1];
  const where: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.type) where.push(`i.type = ${param(query.type)}`);
  if (query.personId) {
    where.push(`i.id IN (SELECT incident_id FROM read_incident_subjects WHERE subject_id = ${param(query.personId)})`);
  }
  if (query.organizationId) {
    where.push(
      `i.id IN (SELECT incident_id FROM read_incident_subjects WHERE subject_id = ${param(query.organizationId)})`,
    );
  }
  if (query.from) where.push(`i.occurred_to >= ${param(query.from)}::date`);
  if (query.to) where.push(`i.occurred_from <= ${param(query.to)}::date`);
  if (query.cursor) {
    const after = decodeCursor(query.cursor, isIncidentCursor);
    where.push(
      `(i.occurred_from, i.precision_rank, i.position) < (${param(after.f)}::date, ${param(after.r)}::smallint, ${param(after.p)}::bigint)`,
    );
  }
  const { rows } = await pool.query<{ view: object; f: string; r: number; p: number }>(
    `SELECT ${INCIDENT_JSON} AS view, to_char(i.occurred_from, 'YYYY-MM-DD') AS f, i.precision_rank AS r, i.position AS p
       FROM read_incidents i ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${NEWEST_FIRST} LIMIT $1`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.view),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ f: last.f, r: last.r, p: last.p }) : null,
  };
}
