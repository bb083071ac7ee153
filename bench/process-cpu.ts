import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { countStatements } from './statement-count';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of one process so far, in ms; 0 when it is gone or unreadable. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The summed CPU time of several processes, in ms. */
export const totalCpuMs = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

/** The server processes of this bench's database (the API's pool), not the one asking. */
export async function backendPids(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return rows.map((row) => row.pid);
}

/** The CPU, in ms, that processes spent since `cpuSince` was called: all of them, or one. */
export interface CpuSince {
  /** Summed over the processes `pids` lists now; one that appeared since counts from zero. */
  total(): Promise<number>;
  /** One process's, counted from zero if it appeared since. */
  of(pid: number): number;
}

/** Starts counting the CPU of the processes `pids` lists (asked again at the end: backends come and go). */
export async function cpuSince(pids: () => Promise<number[]> | number[]): Promise<CpuSince> {
  const before = new Map((await pids()).map((pid) => [pid, cpuMs(pid)]));
  const of = (pid: number) => cpuMs(pid) - (before.get(pid) ?? 0);
  return {
    of,
    total: async () => [...new Set(await pids())].reduce((sum, pid) => sum + of(pid), 0),
  };
}

/**
 * One load, with the CPU it cost per request: the API's (this process: the load generator runs in its own)
 * and PostgreSQL's, summed over the backends of this bench's database (not its WAL writer or checkpointer,
 * and not the other databases of a shared server). A backend opened during the load counts from zero.
 * Also the statements (round trips) and transactions (commits) the API's pool sent per request: figures
 * that do not move with the machine's load.
 */
export async function measured<Load extends { total: number }>(
  pool: Pool,
  run: () => Promise<Load>,
): Promise<Load & { apiCpuMs: number; dbCpuMs: number; statements: number; transactions: number }> {
  const backends = await cpuSince(() => backendPids(pool));
  const api = process.cpuUsage();
  const counted = countStatements();
  const figures = await run();
  const count = counted();
  const apiUsage = process.cpuUsage(api);
  const db = await backends.total();
  const requests = Math.max(1, figures.total);
  return {
    ...figures,
    apiCpuMs: (apiUsage.user + apiUsage.system) / 1000 / requests,
    dbCpuMs: db / requests,
    statements: count.statements / requests,
    transactions: count.transactions / requests,
  };
}
