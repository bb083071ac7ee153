import type { QueryRunner } from 'typeorm';

/**
 * What the migrations make of the `public` schema, read from the catalog in a stable order, so two states of
 * a database compare as text: tables and sequences with their storage options, every column (type, default,
 * NOT NULL, identity, planner options such as n_distinct, statistics target) in its place, constraints,
 * indexes, triggers, views, functions as PostgreSQL would recreate them (arguments, settings, body) and
 * extended statistics. Read from the catalog rather than pg_dump, so that the test needs nothing but the
 * server. A column's options are those a migration sets (n_distinct): some servers add one of their own to
 * every column (`pg_attver=<n>`), different each time the column is made, which says nothing of the schema.
 */
const SCHEMA_QUERIES: Record<string, string> = {
  relations: `
    SELECT c.relname, c.relkind, c.reloptions::text AS options,
           CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     ORDER BY c.relname`,
  columns: `
    SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity, a.attgenerated,
           (SELECT array_agg(o ORDER BY o) FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\\_%')::text AS options,
           a.attstattarget, a.attcollation::regcollation::text AS collation
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
  constraints: `
    SELECT conrelid::regclass::text AS relation, conname, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace
     ORDER BY 1, 2`,
  indexes: `
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
  triggers: `
    SELECT tgrelid::regclass::text AS relation, tgname, pg_get_triggerdef(oid) AS definition
      FROM pg_trigger
     WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
     ORDER BY 1, 2`,
  functions: `
    SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS arguments, pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
     ORDER BY 1, 2`,
  types: `
    SELECT t.typname, t.typtype,
           (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
             AS labels
      FROM pg_type t
     WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'c', 'r') AND t.typrelid = 0
     ORDER BY 1`,
  statistics: `
    SELECT stxname, pg_get_statisticsobjdef(oid) AS definition
      FROM pg_statistic_ext
     WHERE stxnamespace = 'public'::regnamespace
     ORDER BY 1`,
  extensions: `SELECT extname FROM pg_extension ORDER BY 1`,
};

export type SchemaSnapshot = Record<string, unknown[]>;

/** The schema as the catalog describes it now (outside a transaction, or inside one: what it sees). */
export async function schemaSnapshot(runner: QueryRunner): Promise<SchemaSnapshot> {
  const snapshot: SchemaSnapshot = {};
  for (const [part, sql] of Object.entries(SCHEMA_QUERIES)) snapshot[part] = await runner.query(sql);
  return snapshot;
}
