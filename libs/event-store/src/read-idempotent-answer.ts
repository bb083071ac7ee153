import type { Pool } from 'pg';
import type { AppendResult, IdempotencyKey } from './event.types';

/**
 * The stored result of the first key already used, as a replayed append would return it, or undefined.
 * A cheap read before doing work (resolving names, say) that a replay would throw away; the append
 * itself still decides under its locks.
 */
export async function readIdempotentAnswer<Answer>(
  pool: Pool,
  keys: IdempotencyKey[],
): Promise<AppendResult<Answer> | undefined> {
  if (keys.length === 0) return undefined;
  const { rows } = await pool.query<{ answer: AppendResult<Answer>; ord: number }>({
    name: 'vigil-read-idempotent-answer',
    text: `SELECT k.answer, i.ord FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS i(scope, key, ord)
             JOIN idempotency_keys k ON k.scope = i.scope AND k.key = i.key
            ORDER BY i.ord LIMIT 1`,
    values: [keys.map((k) => k.scope), keys.map((k) => k.key)],
  });
  if (!rows.length) return undefined;
  return { ...rows[0].answer, replayed: true, matchedKey: Number(rows[0].ord) - 1 };
}
