import { useApiOnTestDatabase } from '../support/test-api-database';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { countEvents } from '../support/event-count';

describe('Admin intake', () => {
  const { db, api } = useApiOnTestDatabase();

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    api.request('/v1/admin/incidents', { method: 'POST', admin: true, json: body, headers });
  const eventsOf = async (type: string) =>
    (await db.pool.query('SELECT stream_id, data FROM events WHERE type = $1 ORDER BY position', [type])).rows;

  it('records the seed case: one society, its members, one Zahra Rahimi', async () => {
    for (const report of seedReports()) {
      const response = await post(report);
      expect(response.status).toBe(201);
      const body = await readJson(response);
      expect(body).toEqual({ incidentId: expect.any(String), status: 'recorded', position: expect.any(Number) });
      expect(response.headers.get('location')).toBe(`/v1/admin/incidents/${body.incidentId}`);
    }
    const organizations = await eventsOf('OrganizationRegistered');
    expect(organizations.map((e) => e.data.name)).toEqual(['Imam Ali Popular Student Relief Society']);
    const persons = await eventsOf('PersonRegistered');
    expect(persons.map((e) => e.data.name).sort()).toEqual(
      [
        'Hamed Yavari',
        'Hossein Amaninejad',
        'Katayoun Afrazeh',
        'Morteza Keymanesh',
        'Sharmin Maymandinejad',
        'Zahra Rahimi',
      ].sort(),
    );
    const aliases = (await eventsOf('AliasAdded')).map((e) => e.data.alias).sort();
    expect(aliases).toEqual(['IAPSRS', 'Imam Ali Society', 'Sharmin Meymandinejad']);
    expect((await eventsOf('MembershipRecorded')).map((e) => e.data.role).sort()).toEqual(
      ['compliance officer', 'founder', 'head of public relations', 'managing director'].sort(),
    );
    expect(await eventsOf('OrganizationDissolved')).toHaveLength(1);
    const rahimi = persons.find((e) => e.data.name === 'Zahra Rahimi')!.data.personId;
    const release = (await eventsOf('ReleaseRecorded'))[0].data;
    expect(release.persons).toEqual([{ personId: rahimi, name: 'Zahra Rahimi', key: 'zahrarahimi' }]);
    expect(release.occurredOn).toMatchObject({ value: '2020-09-07', precision: 'day' });
  });

  it('matches names across spelling variants and adds only spellings with a new key as aliases', async () => {
    const first = await readJson(
      await post({
        type: 'arrest',
        occurredOn: '2024-01',
        persons: [{ name: 'Parisa Fictional-Rad' }],
        source: { name: 'Test', status: 'confirmed' },
      }),
    );
    const second = await readJson(
      await post({
        type: 'release',
        occurredOn: '2024-02-03',
        persons: [{ name: 'PARISA  FICTIONALRAD', aliases: ['Parisa Fiktionalrad'] }],
        source: { name: 'Test', status: 'unconfirmed' },
      }),
    );
    const incidents = (
      await db.pool.query(`SELECT data FROM events WHERE stream_id = ANY($1)`, [
        [`incident-${first.incidentId}`, `incident-${second.incidentId}`],
      ])
    ).rows;
    expect(new Set(incidents.map((r) => r.data.persons[0].personId)).size).toBe(1);
    const aliases = (await eventsOf('AliasAdded')).map((e) => e.data.alias);
    expect(aliases).toContain('Parisa Fiktionalrad');
    expect(aliases).not.toContain('PARISA  FICTIONALRAD'); // same key as the registered name
  });

  it('treats the same Idempotency-Key with the same body as a duplicate, and with another body as a conflict', async () => {
    const report = {
      type: 'harassment',
      occurredOn: '2023',
      organizations: [{ name: 'Fictional Aid Group' }],
      details: { kind: 'raid' },
      source: { name: 'Test', status: 'confirmed' },
    };
    const first = await post(report, { 'idempotency-key': 'admin-key-1' });
    expect(first.status).toBe(201);
    const { incidentId } = await readJson(first);
    const before = await countEvents(db.pool);
    const again = await post(report, { 'idempotency-key': 'admin-key-1' });
    expect(again.status).toBe(200);
    expect(await readJson(again)).toEqual({ incidentId, status: 'duplicate' });
    const changed = await post({ ...report, occurredOn: '2022' }, { 'idempotency-key': 'admin-key-1' });
    expect(changed.status).toBe(409);
    expect(changed.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await countEvents(db.pool)).toBe(before);
  });

  it('confirms and retracts an incident, refusing to retract twice or confirm a retracted one', async () => {
    const { incidentId } = await readJson(
      await post({
        type: 'arrest',
        occurredOn: '2025-05-05',
        persons: [{ name: 'Fictional Person Two' }],
        source: { name: 'Test', status: 'unconfirmed' },
      }),
    );
    const confirm = await api.request(`/v1/admin/incidents/${incidentId}/confirm`, {
      method: 'POST',
      admin: true,
      json: { source: { name: 'Second source' } },
    });
    expect(confirm.status).toBe(200);
    expect(await readJson(confirm)).toEqual({ incidentId, status: 'confirmed' });
    const retract = await api.request(`/v1/admin/incidents/${incidentId}/retract`, {
      method: 'POST',
      admin: true,
      json: { reason: 'mistaken identity' },
    });
    expect(await readJson(retract)).toEqual({ incidentId, status: 'retracted' });
    const before = await countEvents(db.pool);
    const twice = await api.request(`/v1/admin/incidents/${incidentId}/retract`, {
      method: 'POST',
      admin: true,
      json: { reason: 'again' },
    });
    expect(twice.status).toBe(409);
    const confirmRetracted = await api.request(`/v1/admin/incidents/${incidentId}/confirm`, {
      method: 'POST',
      admin: true,
      json: {},
    });
    expect(confirmRetracted.status).toBe(409);
    expect(await countEvents(db.pool)).toBe(before);
    const unknown = await api.request(`/v1/admin/incidents/00000000-0000-4000-8000-000000000000/confirm`, {
      method: 'POST',
      admin: true,
      json: {},
    });
    expect(unknown.status).toBe(404);
  });
});
