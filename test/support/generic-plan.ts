import type { Pool, QueryConfig } from 'pg';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const INDEX_SCANS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];

/** Sequential scans, and index scans with no condition (a partial index read from end to end). */
const wholeReads = (node: PlanNode): string[] => [
  ...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name']!] : []),
  ...(INDEX_SCANS.includes(node['Node Type']) && !node['Index Cond'] ? [`index ${node['Index Name']}`] : []),
  ...(node.Plans ?? []).flatMap(wholeReads),
];

/** A statement's generic plan, its parameters NULL (a generic plan does not look at them). */
async function genericPlan(pool: Pool, sql: string): Promise<PlanNode> {
  const parameters = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const client = await pool.connect();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    await client.query(`PREPARE statement AS ${sql}`);
    const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE statement${parameters ? `(${nulls})` : ''}`);
    return rows[0]['QUERY PLAN'][0].Plan;
  } finally {
    await client.query('DEALLOCATE ALL');
    await client.query('RESET plan_cache_mode');
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
