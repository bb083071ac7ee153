import type { PoolClient } from 'pg';

/** What an unmerge gives back, as the projections that re-attribute incidents read it from the log. */
export interface Unmerge {
  position: number;
  subject: 'person' | 'organization';
  /** The subject that stands alone again. */
  id: string;
  /** The survivor it was merged into. */
  from: string;
  keys: string[];
  mergedAt: number;
}

/**
 * The SubjectUnmerged events at these positions, in log order. Read from the log by the projections that
 * keep `readsData` false. While the merge stood, a report naming one of `keys` was recorded against the
 * survivor `from`; an unmerge gives such incidents back to `id`, as if the merge had never happened.
 */
export async function unmergesAt(tx: PoolClient, positions: number[]): Promise<Unmerge[]> {
  if (!positions.length) return [];
  const { rows } = await tx.query<{ position: string; data: Omit<Unmerge, 'position'> }>(
    `SELECT position, data FROM events WHERE position = ANY($1::bigint[]) ORDER BY position`,
    [positions],
  );
  return rows.map(({ position, data }) => ({ ...data, position: Number(position) }));
}

/** The field of an incident's person or organisation entry that holds its id. */
export const ID_FIELD = { person: 'personId', organization: 'organizationId' } as const;
