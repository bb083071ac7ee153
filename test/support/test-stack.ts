import type { VigilConfig } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from './test-database';
import { startTestApi, type TestApi } from './test-api';
import { testConfig } from './test-config';
import { startTestWorker, type TestWorker } from './test-worker';
import { readJson } from './read-json';
import { waitFor } from './wait-for';

export interface TestStack {
  db: TestDatabase;
  api: TestApi;
  worker: TestWorker;
  config: VigilConfig;
  /** Waits until every projection has applied every committed event. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/** A database of the suite's own, with the API and the worker running against it in this process. */
export async function startTestStack(overrides: Partial<VigilConfig> = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const config = testConfig({ databaseUrl: db.url, ...overrides });
  const api = await startTestApi(config);
  const worker = await startTestWorker(config);
  return {
    db,
    api,
    worker,
    config,
    async caughtUp() {
      const projections = worker.host.runners.map((runner) => runner.consumer.name);
      await waitFor(
        async () => {
          const status = await readJson(await api.request('/v1/admin/projections', { admin: true }));
          return status.projections
            .filter((p: { name: string }) => projections.includes(p.name))
            .every((p: { lag: number; status: string }) => p.lag === 0 && p.status === 'running');
        },
        { what: 'projections to catch up', timeoutMs: 20_000 },
      );
    },
    async close() {
      await worker.close();
      await api.close();
      await db.drop();
    },
  };
}
