import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run$ = promisify(execFile);

/** What the load generator prints (http-load.ts): one JSON line. */
export interface HttpLoad {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  statusCodes?: Record<string, number>;
  errors: number;
  total: number;
}

/**
 * Runs the load generator in a second process (see http-load.ts), so it shares no event loop with the API it
 * measures, with these settings added to this process's environment; returns its one JSON line.
 */
export async function runHttpLoad(settings: Record<string, string>): Promise<HttpLoad> {
  const { stdout } = await run$(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'http-load.ts')],
    { env: { ...process.env, ...settings } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}
