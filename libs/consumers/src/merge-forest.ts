import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';

/**
 * The tables that know who is merged into whom (CreateSubjectMerges): the write side's, the read models'
 * and the alert router's. Each is kept by its owner from the same events, with the statements of this file.
 */
export type MergeForestTable = 'subject_merges' | 'read_subject_merges' | 'alert_subject_merges';

/**
 * The survivor a subject answers to: the top of its chain of merges, or itself. `subject` and `id` are SQL
 * expressions of the statement that uses it.
 */
export const rootOfSql = (table: MergeForestTable, subject: string, id: string): string =>
  `coalesce((SELECT f.root_id FROM ${table} f WHERE f.subject = ${subject} AND f.merged_id = ${id}), ${id})`;

/**
 * `(subject, id)` of every subject in the merge group of each row of `relation` (which has the columns
 * `subject` and `id`): its survivor and everyone merged into that survivor, itself included. Two index probes
 * per row, whatever the length of the chain (root_id is kept up to date by recordMerge and recordUnmerge).
 */
export const mergeGroupsSql = (table: MergeForestTable, relation: string): string =>
  `SELECT r.subject, g.id FROM ${relation} r
     CROSS JOIN LATERAL (SELECT ${rootOfSql(table, 'r.subject', 'r.id')} AS root) t
     CROSS JOIN LATERAL (SELECT t.root AS id
                         UNION SELECT f.merged_id FROM ${table} f WHERE f.subject = r.subject AND f.root_id = t.root) g`;

/** `mergedId` now answers to `intoId`, and so does everyone who answered to `mergedId`. */
export async function recordMerge(
  tx: PoolClient,
  table: MergeForestTable,
  subject: string,
  mergedId: string,
  intoId: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} (subject, merged_id, into_id, root_id)
     VALUES ($1, $2, $3, ${rootOfSql(table, '$1', '$3::uuid')})
     ON CONFLICT (subject, merged_id) DO UPDATE SET into_id = EXCLUDED.into_id, root_id = EXCLUDED.root_id`,
    [subject, mergedId, intoId],
  );
  await tx.query(
    `UPDATE ${table} SET root_id = ${rootOfSql(table, '$1', '$3::uuid')} WHERE subject = $1 AND root_id = $2`,
    [subject, mergedId, intoId],
  );
}

/** `mergedId` stands alone again, with everyone merged into it (directly or down a chain) answering to it. */
export async function recordUnmerge(
  tx: PoolClient,
  table: MergeForestTable,
  subject: string,
  mergedId: string,
): Promise<void> {
  await tx.query(`DELETE FROM ${table} WHERE subject = $1 AND merged_id = $2`, [subject, mergedId]);
  await tx.query(
    `WITH RECURSIVE below(id) AS (
       SELECT merged_id FROM ${table} WHERE subject = $1 AND into_id = $2
       UNION SELECT f.merged_id FROM ${table} f JOIN below b ON f.subject = $1 AND f.into_id = b.id
     )
     UPDATE ${table} SET root_id = $2 WHERE subject = $1 AND merged_id IN (SELECT id FROM below)`,
    [subject, mergedId],
  );
}

/**
 * Applies the merges and unmerges of a batch to a consumer's forest, in log order (an unmerge may follow
 * its merge in one batch). Only the merged one's events are read: the survivor's mirror them.
 */
export async function applyMergeEvents(
  tx: PoolClient,
  table: MergeForestTable,
  events: RecordedEvent[],
): Promise<void> {
  for (const { type, data } of events) {
    const merge = data as { subject: string; id: string; into?: string };
    if (type === 'SubjectMerged') await recordMerge(tx, table, merge.subject, merge.id, merge.into!);
    else if (type === 'SubjectUnmerged') await recordUnmerge(tx, table, merge.subject, merge.id);
  }
}

/** The survivor at the top of `id`'s chain of merges, or `id` itself. */
export async function rootOf(tx: PoolClient, table: MergeForestTable, subject: string, id: string): Promise<string> {
  const { rows } = await tx.query<{ root: string }>(`SELECT ${rootOfSql(table, '$1', '$2::uuid')} AS root`, [
    subject,
    id,
  ]);
  return rows[0].root;
}

/** Everyone merged into `id`, directly or down a chain (not `id` itself). */
export async function mergedInto(
  tx: PoolClient,
  table: MergeForestTable,
  subject: string,
  id: string,
): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `WITH RECURSIVE below(id) AS (
       SELECT merged_id FROM ${table} WHERE subject = $1 AND into_id = $2
       UNION SELECT f.merged_id FROM ${table} f JOIN below b ON f.subject = $1 AND f.into_id = b.id
     )
     SELECT id FROM below`,
    [subject, id],
  );
  return rows.map((row) => row.id);
}
