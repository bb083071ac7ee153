import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * vigil_idempotent_answer(scopes, keys) → jsonb: the stored answer of the first known key, as a replayed
 * append returns it (`replayed`, `matchedKey`), or NULL. One definition of that rule for every read that
 * answers a retry before doing work, so a caller can fold it into a statement of its own (intake reads
 * it together with the report's names: one round trip instead of two). The LATERAL lookup keeps it an
 * index probe per key even under a plan made while the table was small.
 */
export class CreateIdempotentAnswerFunction1764384900000 implements MigrationInterface {
  name = 'CreateIdempotentAnswerFunction1764384900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION vigil_idempotent_answer(p_scopes text[], p_keys text[]) RETURNS jsonb
      LANGUAGE sql STABLE AS $$
        SELECT k.answer || jsonb_build_object('replayed', true, 'matchedKey', i.ord - 1)
          FROM unnest(p_scopes, p_keys) WITH ORDINALITY AS i(scope, key, ord)
          CROSS JOIN LATERAL (SELECT answer FROM idempotency_keys k
                               WHERE k.scope = i.scope AND k.key = i.key LIMIT 1) k
         ORDER BY i.ord LIMIT 1
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION vigil_idempotent_answer(text[], text[])`);
  }
}
