import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VigilConfig } from '@vigil/platform';
import { TsChildProcess } from '../../test/support/ts-child-process';
import { waitFor } from '../../test/support/wait-for';
import { configEnvironment, WorkerProcess } from '../../test/support/worker-process/spawn-worker-process';

const API_MAIN = join(__dirname, '../../apps/api/src/main.ts');

/** The API as production starts it (apps/api/src/main.ts: migrations, the log check, listening), in a child process. */
export async function startApiProcess(
  config: VigilConfig,
  extra: Record<string, string>,
): Promise<{ process: TsChildProcess; base: string }> {
  const child = new TsChildProcess(API_MAIN, { ...configEnvironment(config), ...extra });
  const base = `http://127.0.0.1:${config.port}`;
  await waitFor(
    async () => {
      if (!child.alive) throw new Error('the API exited at start');
      const response = await fetch(`${base}/health/live`).catch(() => undefined);
      return response?.ok;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: 'the API to listen' },
  );
  return { process: child, base };
}

/** The real worker module in a child process (test/support/worker-process), started and ready. */
export async function startWorkerProcess(config: VigilConfig): Promise<WorkerProcess> {
  const worker = WorkerProcess.spawn(config);
  await worker.started(90_000);
  return worker;
}

/** Resident set size in MiB, as the kernel counts it (VmRSS of /proc/<pid>/status). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}
