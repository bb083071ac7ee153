import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log, idempotency keys and the append function (docs/architecture.md, "The event store";
 * docs/decisions/0002-one-plpgsql-append-function.md).
 * The whole append is one function call, so it costs one round trip and one short transaction.
 */
export class CreateEventStore1764384000000 implements MigrationInterface {
  name = 'CreateEventStore1764384000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id       text        NOT NULL,
        version         bigint      NOT NULL,
        type            text        NOT NULL,
        schema_version  integer     NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL DEFAULT '{}',
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        -- Drawn by the first write of the appending transaction: readers order by it, not by position alone.
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_stream_version UNIQUE (stream_id, version)
      )`);
    await db.query(`CREATE INDEX events_transaction_position ON events (transaction_id, position)`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        scope       text        NOT NULL,
        key         text        NOT NULL,
        answer      jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    // The log is append-only: refuse UPDATE and DELETE at the database, whoever asks.
    await db.query(`
      CREATE FUNCTION vigil_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'VG002';
      END $$`);
    await db.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_events_append_only()`);
    await db.query(`
      CREATE FUNCTION vigil_lock_key(name text) RETURNS bigint LANGUAGE sql IMMUTABLE AS
      $$ SELECT hashtextextended(name, 0) $$`);
    await db.query(APPEND_FUNCTION);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION vigil_append(text[], bigint[], jsonb, text[], text[], jsonb)`);
    await db.query(`DROP FUNCTION vigil_lock_key(text)`);
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP TABLE events`);
    await db.query(`DROP FUNCTION vigil_events_append_only()`);
  }
}

/**
 * vigil_append(streams, expected, events, idempotency scopes, keys, answer) → jsonb
 *   expected[i]: NULL = any, 0 = no stream yet, n = the stream is at version n.
 *   events: [{stream: <1-based index into streams>, type, schemaVersion, data, metadata}]
 *   idempotency keys: (scopes[i], keys[i]); several may guard one append (a delivery id and the
 *   partner's report id): the first one already known returns its stored answer, with its index
 *   as `matchedKey`; otherwise the answer is stored under every key.
 * Order matters and each step answers a bug other stores shipped:
 *   0. refuse to run in a transaction that already holds a transaction id: the locks below only order
 *      writers if no id has been drawn before them;
 *   1. advisory locks on every stream and the idempotency key, sorted (no deadlocks), before any write:
 *      a lock draws no transaction id, so the id of our first insert is above every earlier writer's;
 *   2. idempotency: a known key returns the stored answer and writes nothing;
 *   3. expected versions checked against the heads; a mismatch raises VG409 and writes nothing;
 *   4. one INSERT for all events, the answer stored in the same transaction.
 */
export const APPEND_FUNCTION = `
CREATE FUNCTION vigil_append(
  p_streams text[], p_expected bigint[], p_events jsonb,
  p_idem_scopes text[], p_idem_keys text[], p_answer jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_key bigint;
  v_idem int;
  v_heads bigint[];
  v_stored jsonb;
  v_result jsonb;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'vigil_append must be the first write of its transaction' USING ERRCODE = 'VG001';
  END IF;

  IF array_length(p_streams, 1) = 1 AND coalesce(array_length(p_idem_keys, 1), 0) = 0 THEN
    -- The common case (one stream, no key) skips the sorting and the array bookkeeping below.
    PERFORM pg_advisory_xact_lock(vigil_lock_key('stream:' || p_streams[1]));
  ELSE
    FOR v_key IN
      SELECT DISTINCT k FROM (
        SELECT vigil_lock_key('stream:' || s) AS k FROM unnest(p_streams) s
        UNION ALL
        SELECT vigil_lock_key('idempotency:' || sc || ':' || k) FROM unnest(p_idem_scopes, p_idem_keys) AS i(sc, k)
      ) keys ORDER BY k
    LOOP
      PERFORM pg_advisory_xact_lock(v_key);
    END LOOP;
  END IF;

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
      RAISE EXCEPTION 'stream % is at version %, expected %', p_streams[i], v_heads[i], p_expected[i]
        USING ERRCODE = 'VG409',
              DETAIL = jsonb_build_object('streamId', p_streams[i], 'expected', p_expected[i], 'actual', v_heads[i])::text;
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
