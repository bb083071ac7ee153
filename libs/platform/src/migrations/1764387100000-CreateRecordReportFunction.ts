import { MigrationInterface, QueryRunner } from 'typeorm';

/** The function's argument types, by which later migrations drop it. */
export const RECORD_REPORT_SIGNATURE = `vigil_record_report(text[], text, text[], uuid[], text, jsonb, text[], text[], uuid[], uuid[],
  text[], bigint[], jsonb, text[], text[], jsonb)`;

/**
 * A report's lock, check, append and match-index rows in one statement and one transaction
 * (docs/decisions/0024-a-report-is-recorded-in-one-statement.md; apps/api/src/intake/incident-match-index.ts
 * calls both functions).
 *
 * vigil_lock_incident_matches(keys) takes the transaction locks of the matching rule (decision 0014): one per
 * `type:subject:id` key, in the order of their hashes, in the two-int key space of Vigil's own locks, class 5
 * (LOCK_CLASS_INCIDENT_MATCHES; a migration is a snapshot, so the number is written out). Both ways of
 * recording a report take their locks here, so they exclude each other.
 *
 * vigil_match_candidates(type, subjects, subject ids, incident stream prefix) → (incident id, version): the
 * incidents of the type naming one of the subjects, each with its stream's version; read for a decision
 * (MATCH_CANDIDATES_SQL) and again under the lock to check it. A SQL function, inlined into each statement
 * that calls it (so the plan specs see its plan). Each subject's incidents are one index probe on all three
 * columns: `OFFSET 0` keeps the LATERAL subquery from being pulled up into a join, which the generic plan of
 * a young database made a hash join over every incident of the type (the intake's cost grew with the log).
 *
 * vigil_record_report(lock keys, type, subjects, subject ids, incident stream prefix, candidates as decided on,
 * index rows (types, subjects, subject ids, incident ids), then vigil_append's six parameters) → jsonb:
 *   1. takes the locks of the report's (type, person) keys;
 *   2. reads, with a snapshot taken after the locks (a PL/pgSQL function's statements each take their own),
 *      the incidents of the type naming those subjects and each one's stream version, and raises VG410
 *      unless they are exactly the candidates the decision was made on ({incidentId: version}): another
 *      report or an admin changed what the report would be matched against, and it must be decided again;
 *   3. with no streams to append (a duplicate), answers the stored answer of a key of the report if one was
 *      stored meanwhile, else {"replayed": false, "positions": []};
 *   4. appends with vigil_append (the transaction's first write: the locks and reads above write nothing)
 *      and, unless that was a replay, writes the index rows; answers what vigil_append answered.
 * Called as a statement of its own (autocommit), the locks are held until the append commits.
 */
export class CreateRecordReportFunction1764387100000 implements MigrationInterface {
  name = 'CreateRecordReportFunction1764387100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION vigil_lock_incident_matches(p_keys text[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM count(pg_advisory_xact_lock(5, h))
           FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(p_keys) AS k ORDER BY 1) keys;
      END $$`);
    await db.query(MATCH_CANDIDATES_FUNCTION);
    await db.query(RECORD_REPORT_FUNCTION);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION ${RECORD_REPORT_SIGNATURE}`);
    await db.query(`DROP FUNCTION vigil_match_candidates(text, text[], uuid[], text)`);
    await db.query(`DROP FUNCTION vigil_lock_incident_matches(text[])`);
  }
}

/** vigil_match_candidates as this migration made it (a later migration's down() restores it). */
export const MATCH_CANDIDATES_FUNCTION = `
CREATE FUNCTION vigil_match_candidates(p_type text, p_subjects text[], p_subject_ids uuid[], p_incident_prefix text)
RETURNS TABLE (incident_id uuid, version bigint) LANGUAGE sql STABLE AS $$
  SELECT c.incident_id, h.version
    FROM (SELECT DISTINCT m.incident_id
            FROM unnest(p_subjects, p_subject_ids) AS s(subject, subject_id)
            CROSS JOIN LATERAL (SELECT incident_id FROM incident_match_subjects m
                                 WHERE m.incident_type = p_type AND m.subject = s.subject
                                   AND m.subject_id = s.subject_id
                                 OFFSET 0) m) c
    CROSS JOIN LATERAL (SELECT version FROM events e
                         WHERE e.stream_id = p_incident_prefix || c.incident_id
                         ORDER BY version DESC LIMIT 1) h
$$`;

/** vigil_record_report's statement: RecordReportsInBatches replaced the function, and its down() restores it. */
export const RECORD_REPORT_FUNCTION = `
      CREATE FUNCTION vigil_record_report(
        p_lock_keys text[], p_type text, p_subjects text[], p_subject_ids uuid[], p_incident_prefix text,
        p_candidates jsonb,
        p_index_types text[], p_index_subjects text[], p_index_subject_ids uuid[], p_index_incident_ids uuid[],
        p_streams text[], p_expected bigint[], p_events jsonb, p_idem_scopes text[], p_idem_keys text[], p_answer jsonb
      ) RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        v_found jsonb;
        v_result jsonb;
      BEGIN
        PERFORM vigil_lock_incident_matches(p_lock_keys);

        SELECT coalesce(jsonb_object_agg(c.incident_id, c.version), '{}') INTO v_found
          FROM vigil_match_candidates(p_type, p_subjects, p_subject_ids, p_incident_prefix) c;
        IF v_found <> p_candidates THEN
          RAISE EXCEPTION 'the candidate incidents moved since they were read' USING ERRCODE = 'VG410';
        END IF;

        IF coalesce(array_length(p_streams, 1), 0) = 0 THEN
          RETURN coalesce(vigil_idempotent_answer(p_idem_scopes, p_idem_keys),
                          jsonb_build_object('replayed', false, 'positions', '[]'::jsonb));
        END IF;

        v_result := vigil_append(p_streams, p_expected, p_events, p_idem_scopes, p_idem_keys, p_answer);
        IF NOT (v_result->>'replayed')::boolean THEN
          INSERT INTO incident_match_subjects (incident_type, subject, subject_id, incident_id)
          SELECT * FROM unnest(p_index_types, p_index_subjects, p_index_subject_ids, p_index_incident_ids)
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN v_result;
      END $$`;
