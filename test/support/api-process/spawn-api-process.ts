import { join } from 'node:path';
import type { VigilConfig } from '@vigil/platform';
import { TsChildProcess } from '../ts-child-process';
import { waitFor } from '../wait-for';
import { configEnvironment } from '../worker-process/spawn-worker-process';

const API_MAIN = join(__dirname, '../../../apps/api/src/main.ts');

/**
 * The API as production starts it (apps/api/src/main.ts: migrations, the log check, listening on
 * config.port), in a child process; resolves once /health/live answers.
 */
export async function startApiProcess(
  config: VigilConfig,
  extra: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<{ process: TsChildProcess; base: string }> {
  const child = new TsChildProcess(API_MAIN, { LOG_LEVEL: 'silent', ...configEnvironment(config), ...extra });
  const base = `http://127.0.0.1:${config.port}`;
  await waitFor(
    async () => {
      if (!child.alive) throw new Error('the API exited at start');
      const response = await fetch(`${base}/health/live`).catch(() => undefined);
      return response?.ok;
    },
    { timeoutMs, intervalMs: 200, what: 'the API to listen' },
  );
  return { process: child, base };
}
