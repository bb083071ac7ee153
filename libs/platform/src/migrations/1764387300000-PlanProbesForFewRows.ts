import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells the planner that a subject has few watchers and an incident few deliveries, whatever ANALYZE samples
 * (docs/decisions/0026-probes-planned-for-few-rows.md). The alert router probes `subscription_watches` by
 * subject and by key for every subject an incident names, and `deliveries` by incident for every update:
 * nearly always a subject nobody watches, an incident nobody was alerted about. Where one organisation held
 * most watches (or one fan-out most deliveries), ANALYZE measured two or three distinct values, the planner
 * expected a probe to return most of the table, and read the table whole for each one: 150-210 ms a routed
 * incident on the one-million bench's tables instead of 0.2 ms (docs/scaling.md, "the alert router's
 * catch-up"). `n_distinct = -1` (every row its own value) makes a probe's guess one row; a hot subject's
 * watchers are still all found, through the same index. The setting is read by ANALYZE, which runs here on a
 * table holding rows (an empty one analysed would be planned as empty: seq scans, until autovacuum's ANALYZE).
 */
const COLUMNS = [
  ['subscription_watches', 'subject_id'],
  ['subscription_watches', 'key'],
  ['deliveries', 'incident_id'],
] as const;

export class PlanProbesForFewRows1764387300000 implements MigrationInterface {
  name = 'PlanProbesForFewRows1764387300000';

  async up(db: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS)
      await db.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET (n_distinct = -1)`);
    await analyseHeld(db);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS)
      await db.query(`ALTER TABLE ${table} ALTER COLUMN ${column} RESET (n_distinct)`);
    await analyseHeld(db);
  }
}

async function analyseHeld(db: QueryRunner): Promise<void> {
  for (const table of new Set(COLUMNS.map(([table]) => table))) {
    const [{ held }] = await db.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS held`);
    if (held) await db.query(`ANALYZE ${table}`);
  }
}
