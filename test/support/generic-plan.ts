import type { Pool, QueryConfig } from 'pg';

/** A node of EXPLAIN's JSON plan, the fields the plan specs read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  /** What EXPLAIN ANALYZE adds: rows per loop (averaged over the loops), and the loops. */
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** A plan node and every node below it. */
export const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

const INDEX_SCANS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];

/** Sequential scans, and index scans with no condition (a partial index read from end to end). */
const wholeReads = (node: PlanNode): string[] => [
  ...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name']!] : []),
  ...(INDEX_SCANS.includes(node['Node Type']) && !node['Index Cond'] ? [`index ${node['Index Name']}`] : []),
  ...(node.Plans ?? []).flatMap(wholeReads),
];

/**
 * A statement's generic plan, its parameters NULL (a generic plan does not look at them). `probesOnly`: the
 * planner reads a table whole only where no index can find its rows (sequential scans, hash and merge joins off).
 */
async function genericPlan(pool: Pool, sql: string, probesOnly = false): Promise<PlanNode> {
  const parameters = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const client = await pool.connect();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    if (probesOnly)
      await client.query('SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off');
    await client.query(`PREPARE statement AS ${sql}`);
    const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE statement${parameters ? `(${nulls})` : ''}`);
    return rows[0]['QUERY PLAN'][0].Plan;
  } finally {
    await client.query('DEALLOCATE ALL');
    await client.query('RESET plan_cache_mode');
    await client.query('RESET enable_seqscan; RESET enable_hashjoin; RESET enable_mergejoin');
    client.release();
  }
}

/**
 * What a statement's generic plan reads whole: tables it scans sequentially, indexes it reads without a
 * condition. That is the plan a named statement keeps for its connection, made here on the tables as they
 * are (empty, on a new test database: the case where a cached plan goes wrong as the tables grow).
 */
export async function readWholeByGenericPlan(pool: Pool, sql: string): Promise<string[]> {
  return wholeReads(await genericPlan(pool, sql));
}

/**
 * What a statement reads whole even when the planner must find rows by index wherever one serves: the
 * lookups no index serves, which grow with their table whatever the statistics. For statements sent unnamed
 * (planned at each call on the tables as they are), where reading a small table whole is the planner's right
 * choice and a test's tables are small: each lookup must still have an index to probe.
 */
export async function readWholeWithoutAnIndex(pool: Pool, sql: string): Promise<string[]> {
  const plan = await genericPlan(pool, sql, true);
  // A btree probed on a later column alone is read from end to end, though the plan shows a condition.
  const unled: string[] = [];
  for (const { index, condition } of indexScans(plan)) {
    const { rows } = await pool.query<{ leading: string | null }>(
      `SELECT a.attname AS leading FROM pg_index i
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indexrelid = $1::regclass`,
      [index],
    );
    const leading = rows[0]?.leading;
    if (leading && !new RegExp(`\\b${leading}\\b`).test(condition)) unled.push(`index ${index} by ${condition}`);
  }
  return [...wholeReads(plan), ...unled];
}

const indexScans = (node: PlanNode): { index: string; condition: string }[] => [
  ...(INDEX_SCANS.includes(node['Node Type']) && node['Index Cond']
    ? [{ index: node['Index Name']!, condition: node['Index Cond'] }]
    : []),
  ...(node.Plans ?? []).flatMap(indexScans),
];

const indexConditions = (node: PlanNode, relation: string): string[] => [
  ...(INDEX_SCANS.includes(node['Node Type']) && node['Index Name']?.startsWith(relation)
    ? [node['Index Cond'] ?? '']
    : []),
  ...(node.Plans ?? []).flatMap((child) => indexConditions(child, relation)),
];

/**
 * The conditions a statement's generic plan probes the indexes of `relation` with (indexes named after
 * their table, as PostgreSQL names them): a condition on the index's first column only may still read
 * most of it.
 */
export async function indexConditionsByGenericPlan(pool: Pool, sql: string, relation: string): Promise<string[]> {
  return indexConditions(await genericPlan(pool, sql), relation);
}

/**
 * The named (prepared) statements that `send` makes, by name → text: `send` gets a pool that runs
 * everything on `pool` and notes each named statement, so a test checks what a class really sends.
 */
export async function namedStatementsSentBy(
  pool: Pool,
  send: (recording: Pool) => Promise<unknown>,
): Promise<Map<string, string>> {
  const named = new Map<string, string>();
  const recording = {
    query: (config: QueryConfig | string, values?: unknown[]) => {
      if (typeof config === 'object' && config.name) named.set(config.name, config.text);
      return pool.query(config as QueryConfig, values);
    },
  } as unknown as Pool;
  await send(recording);
  return named;
}

/** Nodes that consume all of their input before giving a row: a sort, a grouping, a hash table. */
const BLOCKING = ['Sort', 'Incremental Sort', 'Aggregate', 'Hash', 'Materialize', 'Unique', 'WindowAgg'];

/** Whether `node` reads `relation` with no Limit in between (a Limit's input is bounded by it). */
const reads = (node: PlanNode, relation: string): boolean =>
  node['Relation Name'] === relation ||
  (node['Index Name']?.startsWith(relation) ?? false) ||
  (node.Plans ?? []).some((child) => node['Node Type'] !== 'Limit' && reads(child, relation));

const unboundedBlocking = (node: PlanNode, relation: string): string[] => [
  ...(BLOCKING.includes(node['Node Type']) && (node.Plans ?? []).some((child) => reads(child, relation))
    ? [node['Node Type']]
    : []),
  ...(node.Plans ?? []).flatMap((child) => unboundedBlocking(child, relation)),
];

/**
 * The nodes of a statement's generic plan that sort, group or hash rows of `relation` before a LIMIT bounds
 * them: each has to read every row that matches, so its cost grows with the data, however well the rows are
 * found. A statement that reads an index in the order it returns rows has none.
 */
export async function unboundedSortsByGenericPlan(pool: Pool, sql: string, relation: string): Promise<string[]> {
  return unboundedBlocking(await genericPlan(pool, sql), relation);
}
