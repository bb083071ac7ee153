import { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_FUNCTION } from './1764384000000-CreateEventStore';
import { PlanAppendGenerically1764384800000 } from './1764384800000-PlanAppendGenerically';
import { RECORD_REPORT_FUNCTION, RECORD_REPORT_SIGNATURE } from './1764387100000-CreateRecordReportFunction';

/**
 * Group commit of concurrent reports (docs/decisions/0029-reports-recorded-in-batches.md): the reports a burst
 * brings are recorded by one statement and one transaction, each checked, appended and indexed as it would
 * be alone, and each answered apart, so that one report's conflict never fails the others.
 *
 * vigil_append is split so that a batch can run its steps for several appends in one transaction without a
 * copy of its rules (docs/decisions/0002-one-plpgsql-append-function.md, 0001):
 *
 * vigil_append_lock_keys(streams, idempotency scopes, keys) → the advisory lock keys an append takes (its
 * streams and its idempotency keys), in the single-bigint key space; callers sort them.
 *
 * vigil_append_under_locks(vigil_append's six parameters) → jsonb: steps 2 to 4 of vigil_append (a known key
 * answers its stored answer, the expected versions are checked, the events and the answer written), for a
 * caller that holds the locks already and drew no transaction id before them. A version mismatch writes
 * nothing and answers {"error": {"code": "VG409", "message", "detail"}} instead of raising, so a batch can
 * refuse one append and go on; vigil_append raises it as before.
 *
 * vigil_append keeps its contract: the first-write check, its locks, then vigil_append_under_locks.
 *
 * vigil_record_reports(reports, incident stream prefix) → jsonb array, one answer per report in order. Each
 * report: {lockKeys, type, subjects, subjectIds, candidates, indexTypes, indexSubjects, indexSubjectIds,
 * indexIncidentIds, streams, expected, events, scopes, keys, answer?}, the parameters vigil_record_report took
 * (jsonb_to_recordset makes its JSON arrays arrays). It
 *   1. refuses to run after a write of its transaction (VG001, as vigil_append);
 *   2. takes every report's match locks (vigil_lock_incident_matches), then every report's stream and key locks,
 *      each set sorted: the order one report alone takes them in, so a batch and a single report (or another
 *      batch) cannot deadlock, and the transaction id of the batch's first write is drawn after all of them;
 *   3. for each report in turn: checks its candidates as vigil_record_report did (else its answer is the
 *      error VG410 and nothing of it is written); with no streams (a duplicate) answers a stored answer of its
 *      keys, if any; else appends (vigil_append_under_locks) and, unless that was a replay or a conflict,
 *      writes its index rows. Each report's reads see what the reports before it in the batch wrote: a second
 *      report naming the same new person finds the first's incident (VG410) or stream version (VG409), a
 *      second delivery of one report id finds its stored answer (a replay), instead of a duplicate key failing
 *      the whole statement.
 * It replaces vigil_record_report: a report alone is a batch of one.
 */
export class RecordReportsInBatches1764387600000 implements MigrationInterface {
  name = 'RecordReportsInBatches1764387600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION vigil_append_lock_keys(p_streams text[], p_idem_scopes text[], p_idem_keys text[])
      RETURNS SETOF bigint LANGUAGE sql IMMUTABLE AS $$
        SELECT vigil_lock_key('stream:' || s) FROM unnest(p_streams) s
        UNION ALL
        SELECT vigil_lock_key('idempotency:' || sc || ':' || k) FROM unnest(p_idem_scopes, p_idem_keys) AS i(sc, k)
      $$`);
    await db.query(APPEND_UNDER_LOCKS);
    await db.query(APPEND);
    await db.query(RECORD_REPORTS);
    await db.query(`DROP FUNCTION ${RECORD_REPORT_SIGNATURE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION vigil_record_reports(jsonb, text)`);
    // The functions it replaced, as the migrations that made them left them (their statements, not copies).
    await db.query(RECORD_REPORT_FUNCTION);
    await db.query(`DROP FUNCTION vigil_append(text[], bigint[], jsonb, text[], text[], jsonb)`);
    await db.query(APPEND_FUNCTION);
    await new PlanAppendGenerically1764384800000().up(db);
    await db.query(`DROP FUNCTION vigil_append_under_locks(text[], bigint[], jsonb, text[], text[], jsonb)`);
    await db.query(`DROP FUNCTION vigil_append_lock_keys(text[], text[], text[])`);
  }
}

const APPEND_UNDER_LOCKS = `
CREATE FUNCTION vigil_append_under_locks(
  p_streams text[], p_expected bigint[], p_events jsonb,
  p_idem_scopes text[], p_idem_keys text[], p_answer jsonb
) RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_idem int;
  v_heads bigint[];
  v_stored jsonb;
  v_result jsonb;
BEGIN
  FOR v_idem IN 1 .. coalesce(array_length(p_idem_keys, 1), 0) LOOP
    SELECT answer INTO v_stored FROM idempotency_keys WHERE scope = p_idem_scopes[v_idem] AND key = p_idem_keys[v_idem];
    IF FOUND THEN
      RETURN v_stored || jsonb_build_object('replayed', true, 'matchedKey', v_idem - 1);
    END IF;
  END LOOP;

  SELECT array_agg(coalesce(head.version, 0) ORDER BY s.ord) INTO v_heads
  FROM unnest(p_streams) WITH ORDINALITY AS s(id, ord)
  LEFT JOIN LATERAL (
    SELECT e.version FROM events e WHERE e.stream_id = s.id ORDER BY e.version DESC LIMIT 1
  ) head ON true;

  FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
    IF p_expected[i] IS NOT NULL AND p_expected[i] <> v_heads[i] THEN
      RETURN jsonb_build_object('error', jsonb_build_object(
        'code', 'VG409',
        'message', format('stream %s is at version %s, expected %s', p_streams[i], v_heads[i], p_expected[i]),
        'detail', jsonb_build_object('streamId', p_streams[i], 'expected', p_expected[i], 'actual', v_heads[i])));
    END IF;
  END LOOP;

  WITH input AS (
    SELECT e.ord, e.value AS ev, (e.value->>'stream')::int AS si
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
  ), numbered AS (
    SELECT ord, si, ev, v_heads[si] + row_number() OVER (PARTITION BY si ORDER BY ord) AS version FROM input
  ), inserted AS (
    INSERT INTO events (stream_id, version, type, schema_version, data, metadata)
    SELECT p_streams[si], version, ev->>'type', (ev->>'schemaVersion')::int, ev->'data', coalesce(ev->'metadata', '{}')
    FROM numbered ORDER BY ord
    RETURNING position, stream_id, version, transaction_id
  )
  SELECT jsonb_build_object(
    'replayed', false,
    'transactionId', min(transaction_id)::text,
    'positions', jsonb_agg(position ORDER BY position),
    'streams', (SELECT jsonb_agg(jsonb_build_object('streamId', s.id, 'version', v_heads[s.ord] + coalesce(
                   (SELECT count(*) FROM numbered n WHERE n.si = s.ord), 0)) ORDER BY s.ord)
                FROM unnest(p_streams) WITH ORDINALITY AS s(id, ord))
  ) INTO v_result FROM inserted;

  IF p_answer IS NOT NULL THEN
    v_result := v_result || jsonb_build_object('answer', p_answer);
  END IF;
  IF coalesce(array_length(p_idem_keys, 1), 0) > 0 THEN
    INSERT INTO idempotency_keys (scope, key, answer)
    SELECT sc, k, v_result FROM unnest(p_idem_scopes, p_idem_keys) AS i(sc, k);
  END IF;
  RETURN v_result;
END $$`;

const APPEND = `
CREATE OR REPLACE FUNCTION vigil_append(
  p_streams text[], p_expected bigint[], p_events jsonb,
  p_idem_scopes text[], p_idem_keys text[], p_answer jsonb
) RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_key bigint;
  v_result jsonb;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'vigil_append must be the first write of its transaction' USING ERRCODE = 'VG001';
  END IF;

  IF array_length(p_streams, 1) = 1 AND coalesce(array_length(p_idem_keys, 1), 0) = 0 THEN
    -- The common case (one stream, no key) skips the sorting below.
    PERFORM pg_advisory_xact_lock(vigil_lock_key('stream:' || p_streams[1]));
  ELSE
    FOR v_key IN SELECT DISTINCT k FROM vigil_append_lock_keys(p_streams, p_idem_scopes, p_idem_keys) k ORDER BY k
    LOOP
      PERFORM pg_advisory_xact_lock(v_key);
    END LOOP;
  END IF;

  v_result := vigil_append_under_locks(p_streams, p_expected, p_events, p_idem_scopes, p_idem_keys, p_answer);
  IF v_result ? 'error' THEN
    RAISE EXCEPTION '%', v_result#>>'{error,message}'
      USING ERRCODE = 'VG409', DETAIL = (v_result#>'{error,detail}')::text;
  END IF;
  RETURN v_result;
END $$`;

export const RECORD_REPORTS = `
CREATE FUNCTION vigil_record_reports(p_reports jsonb, p_incident_prefix text)
RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_key bigint;
  v_report record;
  v_found jsonb;
  v_result jsonb;
  v_results jsonb[] := '{}';
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'vigil_record_reports must be the first write of its transaction' USING ERRCODE = 'VG001';
  END IF;

  PERFORM vigil_lock_incident_matches(ARRAY(
    SELECT jsonb_array_elements_text(r->'lockKeys') FROM jsonb_array_elements(p_reports) r));
  FOR v_key IN
    SELECT DISTINCT k
      FROM jsonb_to_recordset(p_reports) AS r(streams text[], scopes text[], keys text[])
     CROSS JOIN LATERAL vigil_append_lock_keys(r.streams, r.scopes, r.keys) k
     ORDER BY k
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;

  FOR v_report IN
    SELECT * FROM jsonb_to_recordset(p_reports) AS r(
      type text, subjects text[], "subjectIds" uuid[], candidates jsonb,
      "indexTypes" text[], "indexSubjects" text[], "indexSubjectIds" uuid[], "indexIncidentIds" uuid[],
      streams text[], expected bigint[], events jsonb, scopes text[], keys text[], answer jsonb)
  LOOP
    SELECT coalesce(jsonb_object_agg(c.incident_id, c.version), '{}') INTO v_found
      FROM vigil_match_candidates(v_report.type, v_report.subjects, v_report."subjectIds", p_incident_prefix) c;

    IF v_found <> v_report.candidates THEN
      v_result := jsonb_build_object('error', jsonb_build_object(
        'code', 'VG410', 'message', 'the candidate incidents moved since they were read'));
    ELSIF coalesce(array_length(v_report.streams, 1), 0) = 0 THEN
      v_result := coalesce(vigil_idempotent_answer(v_report.scopes, v_report.keys),
                           jsonb_build_object('replayed', false, 'positions', '[]'::jsonb));
    ELSE
      v_result := vigil_append_under_locks(v_report.streams, v_report.expected, v_report.events,
                                           v_report.scopes, v_report.keys, v_report.answer);
      IF NOT v_result ? 'error' AND NOT (v_result->>'replayed')::boolean THEN
        INSERT INTO incident_match_subjects (incident_type, subject, subject_id, incident_id)
        SELECT * FROM unnest(v_report."indexTypes", v_report."indexSubjects", v_report."indexSubjectIds",
                             v_report."indexIncidentIds")
        ON CONFLICT DO NOTHING;
      END IF;
    END IF;
    v_results := v_results || v_result;
  END LOOP;
  RETURN to_jsonb(v_results);
END $$`;
