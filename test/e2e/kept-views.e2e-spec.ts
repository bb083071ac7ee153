import { arrestReport } from '../support/report-bodies';
import { rebuildProjections } from '../support/rebuild-projections';
import { recordReport } from '../support/recorded-report';
import { readJson } from '../support/read-json';
import { startTestApi, type TestApi } from '../support/test-api';
import { startTestStack, type TestStack } from '../support/test-stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Enough incidents with the longest summary the intake takes for the view to pass 128 KiB, the least kept. */
const INCIDENTS = 32;
const SUMMARY = 'A long account of the arrest. '.repeat(133);

/**
 * vigil_admin_view_reads_total of `api` by its `answer` label: "kept" from memory, "read" from the read models,
 * "unchanged" answered 304.
 */
async function viewReads(api: TestApi): Promise<{ kept: number; read: number; unchanged: number }> {
  const text = await (await api.request('/metrics')).text();
  const count = (answer: string) =>
    Number(new RegExp(`^vigil_admin_view_reads_total\\{answer="${answer}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { kept: count('kept'), read: count('read'), unchanged: count('unchanged') };
}

/**
 * A large admin view is kept in the API's memory until the read models move (apps/api/src/read-models/subject-views.ts):
 * every answer must still be what a new read would give, after a report, a merge and a rebuild alike.
 */
describe('Large admin views kept until the read models move', () => {
  let stack: TestStack;
  let personId: string;

  const view = async (id = personId): Promise<{ bytes: string; json: Json }> => {
    const response = await stack.api.request(`/v1/admin/persons/${id}`, { admin: true });
    expect(response.status).toBe(200);
    const bytes = await response.text();
    return { bytes, json: JSON.parse(bytes) };
  };
  const reads = () => viewReads(stack.api);
  const arrestOf = (name: string, i: number) => ({
    ...arrestReport(
      `kept-views-${name}-${i}`,
      `20${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-15`,
      [name],
    ),
    summary: SUMMARY,
  });

  beforeAll(async () => {
    stack = await startTestStack();
    for (let i = 0; i < INCIDENTS; i++) await recordReport(stack.api, arrestOf('Nasrin Kept', i));
    await stack.caughtUp();
    const found = await readJson(await stack.api.request('/v1/admin/persons?q=Nasrin%20Kept', { admin: true }));
    personId = found.items[0].id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers the same bytes from memory while nothing is projected', async () => {
    const first = await view();
    expect(first.json.incidents).toHaveLength(INCIDENTS);
    expect(Buffer.byteLength(first.bytes)).toBeGreaterThan(128 * 1024);
    const before = await reads();
    const second = await view();
    expect(await reads()).toEqual({ ...before, kept: before.kept + 1 });
    expect(second.bytes).toBe(first.bytes);
  });

  it('reads again once a new report about her is projected, and shows it', async () => {
    await view();
    await recordReport(stack.api, arrestOf('Nasrin Kept', INCIDENTS));
    await stack.caughtUp();
    const before = await reads();
    const after = await view();
    expect(await reads()).toEqual({ ...before, read: before.read + 1 });
    expect(after.json.incidents).toHaveLength(INCIDENTS + 1);
  });

  it('shows a merge into her at once, under either id', async () => {
    await recordReport(stack.api, arrestOf('Nasrin Kepte', 0));
    await stack.caughtUp();
    const found = await readJson(await stack.api.request('/v1/admin/persons?q=Nasrin%20Kepte', { admin: true }));
    const otherId: string = found.items.find((p: Json) => p.name === 'Nasrin Kepte').id;
    expect((await view()).json.mergedFrom).toEqual([]);
    await view();

    const merged = await stack.api.request(`/v1/admin/persons/${otherId}/merge`, {
      method: 'POST',
      admin: true,
      json: { into: personId, reason: 'one person' },
    });
    expect(merged.status).toBe(200);
    await stack.caughtUp();
    const survivor = await view();
    expect(survivor.json.mergedFrom).toEqual([otherId]);
    expect(survivor.json.incidents).toHaveLength(INCIDENTS + 2);
    expect((await view(otherId)).bytes).toBe(survivor.bytes);
  });

  it('tags each view, and answers 304 without a body to a client holding it until a projection moves', async () => {
    const get = (id: string, ifNoneMatch?: string) =>
      stack.api.request(`/v1/admin/persons/${id}`, {
        admin: true,
        headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {},
      });
    const small = await recordReport(stack.api, arrestOf('Leila Tagged', 0)).then(async (incidentId) => {
      await stack.caughtUp();
      const incident = await readJson(await stack.api.request(`/v1/admin/incidents/${incidentId}`, { admin: true }));
      return incident.persons[0].id as string;
    });
    for (const id of [personId, small]) {
      const first = await get(id);
      const tag = first.headers.get('etag')!;
      expect(tag).toMatch(/^W\/"[\w-]{27}"$/);
      const before = await reads();
      const unchanged = await get(id, `W/"another", ${tag}`);
      expect(unchanged.status).toBe(304);
      expect(await unchanged.text()).toBe('');
      expect(unchanged.headers.get('etag')).toBe(tag);
      expect(await reads()).toEqual({ ...before, unchanged: before.unchanged + 1 });
      expect((await get(id, 'W/"another"')).status).toBe(200);
    }

    const tag = (await get(personId)).headers.get('etag')!;
    await recordReport(stack.api, arrestOf('Nasrin Kept', INCIDENTS + 1));
    await stack.caughtUp();
    const moved = await get(personId, tag);
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).not.toBe(tag);
    expect((await readJson(moved)).incidents).toHaveLength(INCIDENTS + 3);
  });

  it('answers If-None-Match: * with 304 for a subject there is, and 404 for one there is not', async () => {
    const star = { admin: true, headers: { 'if-none-match': '*' } };
    expect((await stack.api.request(`/v1/admin/persons/${personId}`, star)).status).toBe(304);
    const missing = await stack.api.request('/v1/admin/persons/00000000-0000-4000-8000-000000000000', star);
    expect(missing.status).toBe(404);
  });

  it('keeps nothing with ADMIN_VIEW_CACHE_MIB=0, and still answers 304 to a client holding the view', async () => {
    const keepsNone = await startTestApi({ ...stack.config, adminViewCacheMib: 0 });
    try {
      const get = (ifNoneMatch?: string) =>
        keepsNone.request(`/v1/admin/persons/${personId}`, {
          admin: true,
          headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {},
        });
      const first = await get();
      const second = await get();
      expect(await second.text()).toBe(await first.text());
      expect((await get(first.headers.get('etag')!)).status).toBe(304);
      expect(await viewReads(keepsNone)).toEqual({ kept: 0, read: 2, unchanged: 1 });
    } finally {
      await keepsNone.close();
    }
  });

  it('answers who may be the same person without reading her view', async () => {
    const before = await reads();
    const similar = await stack.api.request(`/v1/admin/persons/${personId}/similar`, { admin: true });
    expect(similar.status).toBe(200);
    expect(await reads()).toEqual(before);
  });

  it('reads again after a rebuild, which passes the same checkpoints again', async () => {
    const before = await view();
    await view();
    await rebuildProjections(stack, ['incidents']);
    const counted = await reads();
    const after = await view();
    expect(await reads()).toEqual({ ...counted, read: counted.read + 1 });
    expect(after.bytes).toBe(before.bytes);
  });
});
