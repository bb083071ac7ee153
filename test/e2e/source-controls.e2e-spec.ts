import type { Pool } from 'pg';
import { PG_POOL } from '@vigil/platform';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { createSource, postSigned } from '../support/signed-webhook';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { countEvents } from '../support/event-count';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** An admin's answers to a leaked secret or a source gone wrong, seen from the partner webhook. */
describe('Source controls', () => {
  const { db, api } = useApiOnTestDatabase();

  let n = 0;
  const report = () => ({
    externalId: `control-${++n}`,
    type: 'arrest',
    // Another arrest each time (a year apart): the same one from another source would corroborate it (200).
    occurredOn: `${1900 + n}-01-02`,
    persons: [{ name: 'Fictional Controlled' }],
    source: { name: 'Test Monitor', status: 'confirmed' },
  });
  const admin = (path: string, json?: unknown) => api.request(path, { method: 'POST', admin: true, json });

  it('refuses a disabled source with 401 and writes nothing, at once, and takes it again once enabled', async () => {
    const source = await createSource(api, 'Disabled partner');
    expect((await postSigned(api, source, report())).status).toBe(201); // its secrets are now cached

    const disabled = await admin(`/v1/admin/sources/${source.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(await readJson(disabled)).toEqual({
      id: source.id,
      name: 'Disabled partner',
      kind: 'hr_ngo',
      reliability: null,
      createdAt: expect.any(String),
      status: 'disabled',
      disabledAt: expect.any(String),
    });
    const before = await countEvents(db.pool);
    const refused = await expectProblem(await postSigned(api, source, report()), 401);
    const unknown = await expectProblem(await postSigned(api, { ...source, id: UNKNOWN_ID }, report()), 401);
    expect(refused.detail).toBe(unknown.detail);
    expect(await countEvents(db.pool)).toBe(before);

    const list = await readJson(await api.request('/v1/admin/sources?limit=100', { admin: true }));
    expect(list.items.find((item: { id: string }) => item.id === source.id)).toMatchObject({ status: 'disabled' });

    const enabled = await admin(`/v1/admin/sources/${source.id}/enable`);
    expect(await readJson(enabled)).toMatchObject({ status: 'active', disabledAt: null });
    expect((await postSigned(api, source, report())).status).toBe(201);
  });

  it('keeps the first time a source was disabled when it is disabled again', async () => {
    const source = await createSource(api, 'Twice disabled');
    const first = await readJson(await admin(`/v1/admin/sources/${source.id}/disable`));
    const second = await readJson(await admin(`/v1/admin/sources/${source.id}/disable`));
    expect(second.disabledAt).toBe(first.disabledAt);
  });

  it('ends the old secret at once with revokeOldNow: only the new one verifies', async () => {
    const source = await createSource(api, 'Leaked partner');
    const softly = await readJson(await admin(`/v1/admin/sources/${source.id}/rotate-secret`));
    expect((await postSigned(api, source, report())).status).toBe(201); // the old one, still in its 24 hours

    const rotated = await admin(`/v1/admin/sources/${source.id}/rotate-secret`, { revokeOldNow: true });
    expect(rotated.status).toBe(200);
    const { secret } = await readJson(rotated);
    const before = await countEvents(db.pool);
    await expectProblem(await postSigned(api, source, report()), 401);
    await expectProblem(await postSigned(api, { id: source.id, secret: softly.secret }, report()), 401);
    expect(await countEvents(db.pool)).toBe(before);
    expect((await postSigned(api, { id: source.id, secret }, report())).status).toBe(201);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM source_secrets WHERE source_id = $1', [
      source.id,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('looks an unknown source id up once per cache period, however often it is asked for', async () => {
    const pool = api.app.get<Pool>(PG_POOL);
    const lookups = jest.spyOn(pool, 'query');
    try {
      const { secret } = await createSource(api, 'Signer');
      lookups.mockClear();
      const ghost = { id: '00000000-0000-4000-8000-00000000beef', secret };
      for (let i = 0; i < 20; i++) await expectProblem(await postSigned(api, ghost, report()), 401);
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
  });

  it('verifies a source created just now at once', async () => {
    const source = await createSource(api, 'Brand new');
    expect((await postSigned(api, source, report())).status).toBe(201);
  });

  it.each([
    ['disable', 'an unknown id', UNKNOWN_ID],
    ['enable', 'an unknown id', UNKNOWN_ID],
    ['disable', 'an id that is not a uuid', 'hengaw'],
  ])('answers %s of %s with 404', async (action, _, id) => {
    await expectProblem(await admin(`/v1/admin/sources/${id}/${action}`), 404);
  });

  it.each([
    ['a string', { revokeOldNow: 'yes' }],
    ['null', { revokeOldNow: null }],
    ['an unknown field', { revokeOld: true }],
  ])('refuses a rotation whose body has %s with 400, and rotates nothing', async (_, json) => {
    const source = await createSource(api, 'Bad rotation');
    await expectProblem(await admin(`/v1/admin/sources/${source.id}/rotate-secret`, json), 400);
    expect((await postSigned(api, source, report())).status).toBe(201);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM source_secrets WHERE source_id = $1', [
      source.id,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it.each(['disable', 'enable'])('refuses %s without the admin token (401), and changes nothing', async (action) => {
    const source = await createSource(api, 'Guarded');
    await expectProblem(await api.request(`/v1/admin/sources/${source.id}/${action}`, { method: 'POST' }), 401);
    const { rows } = await db.pool.query('SELECT disabled_at FROM sources WHERE id = $1', [source.id]);
    expect(rows[0].disabled_at).toBeNull();
  });
});
