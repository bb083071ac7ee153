import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * vigil_idempotent_answer(scopes, keys) → jsonb: the stored answer of the first known key, as a replayed
 * append returns it (`replayed`, `matchedKey`), or NULL. One definition of that rule for every read that
 * answers a retry before doing work, so a caller can fold it into a statement of its own (intake reads
 * it together with the report's names: one round trip instead of two). PL/pgSQL, so its plan is made once
 * per connection (a SQL function with a FROM is planned on every call: 0.14 ms, more than the read itself),
 * and the LATERAL lookup keeps that plan an index probe per key even if made while the table was small.
 */
export class CreateIdempotentAnswerFunction1764384900000 implements MigrationInterface {
  name = 'CreateIdempotentAnswerFunction1764384900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION vigil_idempotent_answer(p_scopes text[], p_keys text[]) RETURNS jsonb
      LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        RETURN (
          SELECT k.answer || jsonb_build_object('replayed', true, 'matchedKey', i.ord - 1)
            FROM unnest(p_scopes, p_keys) WITH ORDINALITY AS i(scope, key, ord)
            CROSS JOIN LATERAL (SELECT answer FROM idempotency_keys k
                                 WHERE k.scope = i.scope AND k.key = i.key LIMIT 1) k
           ORDER BY i.ord LIMIT 1);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION vigil_idempotent_answer(text[], text[])`);
  }
}
