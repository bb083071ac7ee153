import type { Pool } from 'pg';
import type { AppendResult, IdempotencyKey } from './event.types';

/**
 * The stored result of the first key already used, as a replayed append would return it, or undefined.
 * A cheap read before doing work (resolving names, say) that a replay would throw away; the append
 * itself still decides under its locks. The rule is the SQL function vigil_idempotent_answer, which a
 * caller may also call inside a statement of its own.
 */
export async function readIdempotentAnswer<Answer>(
  pool: Pool,
  keys: IdempotencyKey[],
): Promise<AppendResult<Answer> | undefined> {
  if (keys.length === 0) return undefined;
  const { rows } = await pool.query<{ answer: AppendResult<Answer> | null }>({
    name: 'vigil-read-idempotent-answer',
    text: 'SELECT vigil_idempotent_answer($1, $2) AS answer',
    values: [keys.map((k) => k.scope), keys.map((k) => k.key)],
  });
  return rows[0].answer ?? undefined;
}
