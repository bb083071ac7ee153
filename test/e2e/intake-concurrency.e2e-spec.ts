import { useApiOnTestDatabase } from '../support/test-api-database';
import { readJson } from '../support/read-json';

describe('Incident intake: concurrency', () => {
  const { db, api } = useApiOnTestDatabase();

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    api.request('/v1/admin/incidents', { method: 'POST', admin: true, json: body, headers });
  const count = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0].n;

  it('ends with one person when ten reports name the same new person at once, in different spellings', async () => {
    const spellings = ['Fictional Nejad', 'FICTIONAL NEJAD', 'Fictional-Nejad', 'fictional nejad', 'Fictionalnejad'];
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post({
          type: 'arrest',
          // Ten arrests months apart: ten incidents (days a few apart would be one arrest, disputed).
          occurredOn: `2024-${String(i + 1).padStart(2, '0')}-15`,
          persons: [
            {
              name: spellings[i % spellings.length],
              memberOf: [{ organization: 'Fictional Relief Society', role: 'founder' }],
            },
          ],
          organizations: [{ name: 'Fictional Relief Society' }],
          source: { name: 'Test', status: 'confirmed' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE type = 'PersonRegistered'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE type = 'OrganizationRegistered'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE type = 'MembershipRecorded'`)).toBe(1);
    expect(
      await count(
        `SELECT count(DISTINCT data->'persons'->0->>'personId')::int AS n FROM events WHERE type = 'ArrestRecorded'`,
      ),
    ).toBe(1);
  });

  it('records one incident when the same report id arrives ten times at once', async () => {
    const report = {
      externalId: 'burst-1',
      type: 'release',
      occurredOn: '2024-04-01',
      persons: [{ name: 'Fictional Released' }],
      source: { name: 'Test', status: 'confirmed' },
    };
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(report)));
    const bodies = await Promise.all(responses.map(readJson));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(bodies.map((b) => b.incidentId)).size).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE type = 'ReleaseRecorded'`)).toBe(1);
  });

  it('registers a person under the id a crashed report claimed for the name, and records the incident', async () => {
    // A report that claimed the name's key and died before its append left only the claim behind.
    const claimedId = 'b7a4b0a6-3c1e-4f55-9a57-2f0c8f3d6e11';
    await db.pool.query(`INSERT INTO subject_name_keys (subject, key, subject_id) VALUES ('person', $1, $2)`, [
      'fictionalorphan',
      claimedId,
    ]);
    const response = await post({
      type: 'arrest',
      occurredOn: '2024-05-01',
      persons: [{ name: 'Fictional Orphan' }],
      source: { name: 'Test', status: 'confirmed' },
    });
    expect(response.status).toBe(201);
    const { rows } = await db.pool.query(
      `SELECT stream_id, data->>'personId' AS "personId" FROM events WHERE type = 'PersonRegistered' AND data->>'key' = $1`,
      ['fictionalorphan'],
    );
    expect(rows).toEqual([{ stream_id: `person-${claimedId}`, personId: claimedId }]);
    const { incidentId } = await readJson(response);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND data->'persons'->0->>'personId' = $2`,
        [`incident-${incidentId}`, claimedId],
      ),
    ).toBe(1);
  });
});
