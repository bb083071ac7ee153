import type { VigilConfig } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from './test-database';
import { startTestApi, type TestApi } from './test-api';
import { testConfig } from './test-config';

/** A database of the suite's own and the API on it (no worker): for suites about what the API writes. */
export async function startApiOnTestDatabase(
  overrides: Partial<VigilConfig> = {},
): Promise<{ db: TestDatabase; api: TestApi; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const api = await startTestApi(testConfig({ databaseUrl: db.url, ...overrides }));
  return {
    db,
    api,
    async close() {
      await api.close();
      await db.drop();
    },
  };
}
