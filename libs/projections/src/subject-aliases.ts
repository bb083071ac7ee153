import type { PoolClient } from 'pg';

/** Appends the aliases of the batch's AliasAdded events of one kind of subject, in log order, in one statement. */
export async function appendAliases(
  tx: PoolClient,
  subject: 'person' | 'organization',
  positions: number[],
): Promise<void> {
  if (!positions.length) return;
  const table = subject === 'person' ? 'read_persons' : 'read_organizations';
  await tx.query(
    `UPDATE ${table} s SET aliases = s.aliases || a.added
       FROM (SELECT (e.data->>'id')::uuid AS id, array_agg(e.data->>'alias' ORDER BY e.position) AS added
               FROM events e WHERE e.position = ANY($1::bigint[]) AND e.data->>'subject' = $2
              GROUP BY 1) a
      WHERE s.id = a.id`,
    [positions, subject],
  );
}
