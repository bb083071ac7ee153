import { readFile } from 'node:fs/promises';
import type { VigilConfig } from '@vigil/platform';
import { WorkerProcess } from '../../test/support/worker-process/spawn-worker-process';
export { startApiProcess } from '../../test/support/api-process/spawn-api-process';

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
