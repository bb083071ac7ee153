import { readJson } from './read-json';
import type { TestStack } from './test-stack';
import { waitFor } from './wait-for';

/**
 * Rebuilds projections from the log as an admin does (POST /v1/admin/projections/{name}/rebuild, each answered
 * 202 or this throws) and waits until none is rebuilding and every consumer has caught up.
 */
export async function rebuildProjections(stack: Pick<TestStack, 'api' | 'caughtUp'>, names: string[]): Promise<void> {
  for (const name of names) {
    const response = await stack.api.request(`/v1/admin/projections/${name}/rebuild`, { method: 'POST', admin: true });
    if (response.status !== 202) throw new Error(`${name} not rebuilt: ${response.status}`);
  }
  await waitFor(
    async () => {
      const { projections } = await readJson(await stack.api.request('/v1/admin/projections', { admin: true }));
      return projections.every((p: { status: string }) => p.status !== 'rebuilding');
    },
    { what: 'rebuilds to finish' },
  );
  await stack.caughtUp();
}
