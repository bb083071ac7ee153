import type { PoolClient } from 'pg';

/** Appends aliases to read_persons or read_organizations in one statement, keeping their order of arrival. */
export async function appendAliases(
  tx: PoolClient,
  table: 'read_persons' | 'read_organizations',
  aliases: { id: string; alias: string }[],
): Promise<void> {
  if (!aliases.length) return;
  await tx.query(
    `UPDATE ${table} s SET aliases = s.aliases || a.added
       FROM (SELECT id, array_agg(alias ORDER BY ord) AS added
               FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, alias text, ord int)
              GROUP BY id) a
      WHERE s.id = a.id`,
    [JSON.stringify(aliases.map((alias, ord) => ({ ...alias, ord })))],
  );
}
