import { appendEvents } from '@vigil/event-store';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { waitFor } from '../support/wait-for';

describe('API shell', () => {
  const { db, api } = useApiOnTestDatabase();

  beforeAll(async () => {
    for (let i = 1; i <= 5; i++) {
      await appendEvents(db.pool, [
        {
          streamId: `s-${i}`,
          expected: 'no_stream',
          events: [{ type: 'ArrestRecorded', schemaVersion: 1, data: { i }, metadata: { actor: 'test' } }],
        },
      ]);
    }
  });

  it('answers liveness and readiness when Postgres and Redis are up', async () => {
    expect(await readJson(await api.request('/health/live'))).toEqual({ status: 'ok' });
    const ready = await api.request('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('serves Prometheus metrics', async () => {
    const response = await api.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('# TYPE vigil_events_appended_total counter');
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await readJson(await api.request('/docs-json'));
    expect(json.openapi).toMatch(/^3\./);
    expect(Object.keys(json.paths)).toEqual(expect.arrayContaining(['/health/ready', '/v1/admin/events']));
    const ui = await api.request('/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  /** docs/api.md, "Reading your own writes": the actions that append answer with the header, and only they. */
  const ANSWERING_LOG_POSITION: [string, number[]][] = [
    ['/v1/admin/incidents', [201, 200]],
    ['/v1/webhooks/incidents/{sourceId}', [201, 200]],
    ...['confirm', 'retract', 'resolve', 'merge'].map((action): [string, number[]] => [
      `/v1/admin/incidents/{id}/${action}`,
      [200],
    ]),
    ...['persons', 'organizations'].flatMap((subjects) =>
      ['aliases', 'merge', 'unmerge'].map((action): [string, number[]] => [
        `/v1/admin/${subjects}/{id}/${action}`,
        [200],
      ]),
    ),
    ['/v1/admin/review/{id}/dismiss', [200]],
  ];

  it('describes the Vigil-Log-Position header on the success answers of every action that appends, and of no other route', async () => {
    const json = await readJson(await api.request('/docs-json'));
    const described: [string, number[]][] = [];
    for (const [path, operations] of Object.entries<Record<string, { responses?: Record<string, unknown> }>>(
      json.paths,
    )) {
      for (const operation of Object.values(operations)) {
        const statuses = Object.entries(operation.responses ?? {})
          .filter(([, response]) => 'Vigil-Log-Position' in ((response as { headers?: object }).headers ?? {}))
          .map(([status]) => Number(status));
        if (statuses.length) described.push([path, statuses.sort((a, b) => b - a)]);
      }
    }
    expect(described.sort()).toEqual([...ANSWERING_LOG_POSITION].sort());
    expect(json.paths['/v1/webhooks/incidents/{sourceId}'].post.responses['201'].headers['Vigil-Log-Position']).toEqual(
      expect.objectContaining({ required: false, schema: { type: 'integer', minimum: 1 } }),
    );
  });

  it('describes the position a status of the projections is asked at', async () => {
    const json = await readJson(await api.request('/docs-json'));
    expect(json.paths['/v1/admin/projections'].get.parameters).toContainEqual(
      expect.objectContaining({
        name: 'position',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', minimum: 1 }),
      }),
    );
  });

  it.each([
    ['no header', undefined],
    ['a wrong token', 'Bearer wrong-token-wrong-token-wrong-token-00'],
    ['another scheme', 'Basic dGVzdA=='],
  ])('refuses the admin API with %s (401 problem+json)', async (_, authorization) => {
    const response = await api.request('/v1/admin/events', { headers: authorization ? { authorization } : {} });
    const body = await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(JSON.stringify(body)).not.toContain('wrong-token');
  });

  it('lists the raw log with the contract shape and pages through it, always with a cursor to go on from', async () => {
    // The log is read below the oldest open transaction of the whole server (docs/decisions/0001): a suite
    // running beside this one may hold one open for a moment, and the events show once it ends.
    const first = await waitFor(
      async () => {
        const page = await readJson(await api.request('/v1/admin/events?limit=2', { admin: true }));
        return page.items.length > 0 ? page : undefined;
      },
      { what: 'the appended events to be readable' },
    );
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toEqual({
      position: expect.any(Number),
      streamId: 's-1',
      version: 1,
      type: 'ArrestRecorded',
      data: { i: 1 },
      metadata: { actor: 'test' },
      recordedAt: expect.any(String),
    });
    const second = await readJson(
      await api.request(`/v1/admin/events?limit=2&cursor=${first.nextCursor}`, { admin: true }),
    );
    expect(second.items.map((e: { streamId: string }) => e.streamId)).toEqual(['s-3', 's-4']);
    const last = await readJson(
      await api.request(`/v1/admin/events?limit=2&cursor=${second.nextCursor}`, { admin: true }),
    );
    expect(last).toEqual({ items: [expect.objectContaining({ streamId: 's-5' })], nextCursor: expect.any(String) });
    const caughtUp = await readJson(await api.request(`/v1/admin/events?cursor=${last.nextCursor}`, { admin: true }));
    expect(caughtUp).toEqual({ items: [], nextCursor: last.nextCursor });
    const after = await readJson(
      await api.request(`/v1/admin/events?after=${first.items[1].position}`, { admin: true }),
    );
    expect(after.items.map((e: { streamId: string }) => e.streamId)).toEqual(['s-3', 's-4', 's-5']);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['after=-1', 'after'],
    ['after=1e20', 'after'],
    ['after=1&cursor=WzEsImV2ZW50cyIsIjEiLDFd', 'after'],
    ['cursor=not-a-cursor', 'cursor'],
    ['unknown=1', 'unknown'],
  ])('answers a bad query (%s) with 400 naming the field', async (query, field) => {
    const body = await expectProblem(await api.request(`/v1/admin/events?${query}`, { admin: true }), 400);
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('answers an unknown route with a 404 problem', async () => {
    await expectProblem(await api.request('/v1/nothing-here'), 404);
  });
});
