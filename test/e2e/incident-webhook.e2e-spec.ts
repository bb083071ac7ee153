import { useApiOnTestDatabase } from '../support/test-api-database';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { createSource, postSigned, signedHeaders } from '../support/signed-webhook';
import { countEvents } from '../support/event-count';

describe('Partner webhook intake', () => {
  const { db, api } = useApiOnTestDatabase();
  let source: { id: string; secret: string };

  beforeAll(async () => {
    source = await createSource(api);
  });

  const report = (externalId: string, name = 'Fictional Signed') => ({
    externalId,
    type: 'arrest',
    occurredOn: '2025-01-02',
    persons: [{ name }],
    source: { name: 'Test Monitor', status: 'confirmed' },
  });

  it('records every seed incident posted through the signed webhook', async () => {
    for (const incident of seedReports()) {
      const response = await postSigned(api, source, incident);
      expect(response.status).toBe(201);
      const body = await readJson(response);
      expect(body).toEqual({ incidentId: expect.any(String), status: 'recorded', position: expect.any(Number) });
      expect(response.headers.get('location')).toBe(`/v1/admin/incidents/${body.incidentId}`);
    }
    const { rows } = await db.pool.query(`SELECT DISTINCT metadata->>'actor' AS actor FROM events`);
    expect(rows).toEqual([{ actor: `source:${source.id}` }]);
  });

  it('answers a retried delivery (same webhook-id) with the first answer, and a re-sent report as a duplicate', async () => {
    const first = await postSigned(api, source, report('wh-1'), { id: 'msg_retry_1' });
    expect(first.status).toBe(201);
    const firstBody = await readJson(first);
    const before = await countEvents(db.pool);
    const retry = await postSigned(api, source, report('wh-1'), { id: 'msg_retry_1' });
    expect(retry.status).toBe(201);
    expect(await readJson(retry)).toEqual(firstBody);
    const resent = await postSigned(api, source, report('wh-1'), { id: 'msg_retry_2' });
    expect(resent.status).toBe(200);
    expect(await readJson(resent)).toEqual({ incidentId: firstBody.incidentId, status: 'duplicate' });
    const changed = await postSigned(api, source, report('wh-1', 'Someone Else'), { id: 'msg_retry_3' });
    expect(changed.status).toBe(409);
    expect(await countEvents(db.pool)).toBe(before);
  });

  it('records one incident when the same delivery arrives ten times at once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        postSigned(api, source, report('wh-burst', 'Fictional Burst'), { id: 'msg_burst' }),
      ),
    );
    const bodies = await Promise.all(responses.map(readJson));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(bodies.map((b) => b.incidentId)).size).toBe(1);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ArrestRecorded' AND data->>'externalId' = 'wh-burst'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it.each([
    [
      'a wrong signature',
      (body: string) => ({ ...signedHeaders(source.secret, body), 'webhook-signature': 'v1,AAAA' }),
    ],
    [
      'no signature',
      (body: string) => {
        const h: Record<string, string> = signedHeaders(source.secret, body);
        delete h['webhook-signature'];
        return h;
      },
    ],
    [
      'a timestamp 6 minutes old',
      (body: string) => signedHeaders(source.secret, body, { timestamp: Math.floor(Date.now() / 1000) - 360 }),
    ],
    [
      'a timestamp 6 minutes ahead',
      (body: string) => signedHeaders(source.secret, body, { timestamp: Math.floor(Date.now() / 1000) + 360 }),
    ],
    [
      "another source's secret",
      (body: string) => signedHeaders('whsec_' + Buffer.alloc(32, 7).toString('base64'), body),
    ],
    ['a body changed after signing', (body: string) => signedHeaders(source.secret, body.replace('2025', '2024'))],
  ])('refuses %s with 401 and writes nothing', async (_, headersFor) => {
    const before = await countEvents(db.pool);
    const body = JSON.stringify(report('wh-refused'));
    const response = await api.request(`/v1/webhooks/incidents/${source.id}`, {
      method: 'POST',
      body,
      headers: headersFor(body),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await countEvents(db.pool)).toBe(before);
  });

  it('refuses an unknown source like a bad signature', async () => {
    const body = JSON.stringify(report('wh-unknown'));
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await api.request(`/v1/webhooks/incidents/${id}`, {
        method: 'POST',
        body,
        headers: signedHeaders(source.secret, body),
      });
      expect(response.status).toBe(401);
    }
  });

  it('accepts several signatures of which one is valid, and verifies the raw bytes as sent', async () => {
    const body = `{ "externalId": "wh-spaced",\n  "type": "release", "occurredOn": "2025-02", "persons": [{"name": "Fictional Spaced"}],
      "source": {"name": "Test Monitor", "status": "unconfirmed"} }`;
    const headers = signedHeaders(source.secret, body);
    headers['webhook-signature'] =
      `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']} v2,ignored`;
    const response = await api.request(`/v1/webhooks/incidents/${source.id}`, { method: 'POST', body, headers });
    expect(response.status).toBe(201);
  });

  it('requires externalId on the partner webhook', async () => {
    const { externalId: _, ...withoutId } = report('x');
    const response = await postSigned(api, source, withoutId);
    expect(response.status).toBe(400);
    expect((await readJson(response)).errors).toEqual([{ path: 'externalId', message: expect.any(String) }]);
  });

  it("keeps each source's report ids apart", async () => {
    const other = await createSource(api, 'Other Monitor');
    const first = await postSigned(api, source, report('shared-id', 'Fictional Shared'));
    expect(first.status).toBe(201);
    // Not the first source's report again (a duplicate): another source's report of the same incident.
    const second = await postSigned(api, other, report('shared-id', 'Fictional Shared'));
    expect(second.status).toBe(200);
    expect(await readJson(second)).toEqual({
      incidentId: (await readJson(first)).incidentId,
      status: 'corroborated',
      position: expect.any(Number),
    });
  });
});
