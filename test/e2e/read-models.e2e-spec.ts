import { randomUUID } from 'node:crypto';
import { EventStore } from '@vigil/event-store';
import { postSigned } from '../support/signed-webhook';
import { startTestStack, type TestStack } from '../support/test-stack';
import { rebuildProjections } from '../support/rebuild-projections';
import { recordReport } from '../support/recorded-report';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A read model without its random ids, so two databases fed the same reports can be compared. */
function byNames(persons: Json[], organizations: Json[]) {
  const incident = (i: Json) => [i.type, i.occurredOn, i.status, i.summary].join('|');
  return {
    persons: persons.map((p) => ({
      name: p.name,
      aliases: [...p.aliases].sort(),
      status: p.status,
      statusSince: p.statusSince,
      organizations: p.organizations.map((o: Json) => `${o.name}|${o.role}`).sort(),
      incidents: p.incidents.map(incident),
    })),
    organizations: organizations.map((o) => ({
      name: o.name,
      aliases: [...o.aliases].sort(),
      status: o.status,
      members: o.members.map((m: Json) => `${m.name}|${m.role}`).sort(),
      incidents: o.incidents.map(incident),
    })),
  };
}

function shuffled<T>(items: T[]): T[] {
  // A fixed permutation that puts the release before the arrest and the dissolution first.
  const order = [4, 3, 5, 1, 0, 2];
  return order.map((i) => items[i]);
}

describe('Read models and the admin read API', () => {
  let inOrder: TestStack;
  let reordered: TestStack;

  const admin = async (stack: TestStack, path: string) => readJson(await stack.api.request(path, { admin: true }));
  const snapshot = async (stack: TestStack) =>
    byNames(
      (await admin(stack, '/v1/admin/persons?limit=500')).items,
      (await admin(stack, '/v1/admin/organizations?limit=500')).items,
    );
  const record = async (stack: TestStack, reports: Json[]) => {
    for (const report of reports) await recordReport(stack.api, report);
    await stack.caughtUp();
  };

  beforeAll(async () => {
    [inOrder, reordered] = await Promise.all([startTestStack(), startTestStack()]);
    await Promise.all([record(inOrder, seedReports()), record(reordered, shuffled(seedReports()))]);
  });
  afterAll(async () => {
    await Promise.all([inOrder?.close(), reordered?.close()]);
  });

  it('builds the seed case: statuses by date, memberships, the dissolved society', async () => {
    const model = await snapshot(inOrder);
    const person = (name: string) => model.persons.find((p) => p.name === name)!;
    expect(person('Zahra Rahimi')).toMatchObject({
      status: 'released',
      statusSince: '2020-09-07',
      organizations: ['Imam Ali Popular Student Relief Society|managing director'],
    });
    expect(person('Sharmin Maymandinejad')).toMatchObject({
      status: 'detained',
      statusSince: '2020-06-21',
      aliases: ['Sharmin Meymandinejad'],
    });
    expect(person('Hamed Yavari')).toMatchObject({ status: 'executed', statusSince: '2021-06-11' });
    const society = model.organizations[0];
    expect(society).toMatchObject({
      name: 'Imam Ali Popular Student Relief Society',
      status: 'dissolved',
      aliases: ['IAPSRS', 'Imam Ali Society'],
    });
    expect(society.members).toHaveLength(4);
    expect(society.incidents.map((i: string) => i.split('|')[0])).toEqual(['ruling', 'arrest', 'arrest', 'harassment']);
  });

  it('ends with the same read models whatever order the reports arrived in', async () => {
    expect(await snapshot(reordered)).toEqual(await snapshot(inOrder));
  });

  it('finds persons and organisations by any spelling, case, spacing or prefix', async () => {
    for (const q of ['sharmin meymandinejad', 'SHARMIN  MAYMANDINEJAD', 'sharminmay', 'Sharmin']) {
      const { items } = await admin(inOrder, `/v1/admin/persons?q=${encodeURIComponent(q)}`);
      expect(items.map((p: Json) => p.name)).toEqual(['Sharmin Maymandinejad']);
    }
    const { items } = await admin(inOrder, `/v1/admin/organizations?q=${encodeURIComponent('iapsrs')}`);
    expect(items.map((o: Json) => o.name)).toEqual(['Imam Ali Popular Student Relief Society']);
  });

  it('filters incidents by type, person, organisation and date range, newest first, and pages them', async () => {
    const all = await admin(inOrder, '/v1/admin/incidents?limit=500');
    expect(all.items.map((i: Json) => i.occurredOn)).toEqual([
      '2021-06-11',
      '2021-03-03',
      '2020-09-07',
      '2020-09-06',
      '2020-06-21',
      '2018-04-26',
    ]);
    expect(all.items[0]).toMatchObject({
      type: 'execution',
      status: 'recorded',
      source: { name: 'Iran Human Rights', status: 'confirmed' },
    });
    const arrests = await admin(inOrder, '/v1/admin/incidents?type=arrest');
    expect(arrests.items.map((i: Json) => i.occurredOn)).toEqual(['2020-09-06', '2020-06-21']);
    const rahimi = (await admin(inOrder, '/v1/admin/persons?q=zahra')).items[0];
    const hers = await admin(inOrder, `/v1/admin/incidents?personId=${rahimi.id}`);
    expect(hers.items.map((i: Json) => i.type)).toEqual(['release', 'arrest']);
    const society = (await admin(inOrder, '/v1/admin/organizations?q=iapsrs')).items[0];
    const its = await admin(inOrder, `/v1/admin/incidents?organizationId=${society.id}&from=2020-01-01&to=2020-12-31`);
    expect(its.items.map((i: Json) => i.occurredOn)).toEqual(['2020-09-06', '2020-06-21']);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await admin(inOrder, `/v1/admin/incidents?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.items.map((i: Json) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.items.map((i: Json) => i.id));
    const one = await admin(inOrder, `/v1/admin/incidents/${all.items[0].id}`);
    expect(one).toEqual(all.items[0]);
  });

  it('shows each incident with the fields of the contract in their order, the same alone, in the list and in the views of its persons and organisations', async () => {
    // PostgreSQL writes the view (apps/api/src/read-models/incident-view.ts): its order is the answer's.
    const fields = [
      ...['id', 'type', 'occurredOn', 'occurredOnPrecision', 'occurredOnRange', 'occurredOnOriginal'],
      ...['occurredOnDisputed', 'persons', 'organizations', 'location', 'details', 'summary', 'source', 'sourceId'],
      ...['sources', 'externalId', 'status', 'verification', 'conflicts', 'possibleDuplicates'],
      ...['officiallyAcknowledged', 'mergedInto', 'confirmedBy', 'retractionReason', 'recordedAt', 'position'],
    ];
    const listed = await inOrder.api.request('/v1/admin/incidents?limit=500', { admin: true });
    expect(listed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { items } = await readJson(listed);
    expect(items).toHaveLength(6);
    const views = new Map<string, Json>();
    const viewOf = async (path: string) => views.get(path) ?? views.set(path, await admin(inOrder, path)).get(path);
    for (const incident of items) {
      expect(Object.keys(incident)).toEqual(fields);
      expect(incident.occurredOnRange).toEqual({ from: incident.occurredOn, to: incident.occurredOn });
      expect(incident.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}:\d{2}$/);
      expect(incident.position).toEqual(expect.any(Number));
      const named = [...incident.persons, ...incident.organizations];
      expect(named.map(Object.keys)).toEqual(named.map(() => ['id', 'name']));
      expect(JSON.stringify(await admin(inOrder, `/v1/admin/incidents/${incident.id}`))).toBe(JSON.stringify(incident));
      for (const { id } of incident.persons) {
        const shown = (await viewOf(`/v1/admin/persons/${id}`)).incidents.find((i: Json) => i.id === incident.id);
        expect(JSON.stringify(shown)).toBe(JSON.stringify(incident));
      }
      for (const { id } of incident.organizations) {
        const shown = (await viewOf(`/v1/admin/organizations/${id}`)).incidents.find((i: Json) => i.id === incident.id);
        expect(JSON.stringify(shown)).toBe(JSON.stringify(incident));
      }
    }
  });

  it('shows each person and organisation with the fields of the contract in their order, the same alone, in the list and in a search, where `match` follows the aliases', async () => {
    // PostgreSQL writes the view (apps/api/src/read-models/subject-read-model.ts): its order is the answer's.
    const fields = {
      persons: ['id', 'name', 'aliases', 'status', 'statusSince', 'organizations', 'mergedFrom', 'incidents'],
      organizations: ['id', 'name', 'aliases', 'status', 'members', 'mergedFrom', 'incidents'],
    };
    const searched = { persons: 'q=rahimi', organizations: 'q=relief' };
    for (const kind of ['persons', 'organizations'] as const) {
      const listed = await inOrder.api.request(`/v1/admin/${kind}?limit=500`, { admin: true });
      expect(listed.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const { items } = await readJson(listed);
      expect(items.length).toBeGreaterThan(0);
      for (const subject of items) {
        expect(Object.keys(subject)).toEqual(fields[kind]);
        const alone = await admin(inOrder, `/v1/admin/${kind}/${subject.id}`);
        expect(JSON.stringify(alone)).toBe(JSON.stringify(subject));
      }
      const [hit] = (await admin(inOrder, `/v1/admin/${kind}?${searched[kind]}`)).items;
      const [id, name, aliases, ...rest] = fields[kind];
      expect(Object.keys(hit)).toEqual([id, name, aliases, 'match', ...rest]);
      const { match, ...view } = hit;
      expect(match).toBe('word');
      expect(JSON.stringify(view)).toBe(JSON.stringify(items.find((subject: Json) => subject.id === hit.id)));
    }
    const rahimi = (await admin(inOrder, '/v1/admin/persons?q=zahra')).items[0];
    expect(rahimi.organizations).toHaveLength(1);
    expect(rahimi.organizations.map(Object.keys)).toEqual(rahimi.organizations.map(() => ['id', 'name', 'role']));
    expect(rahimi.incidents.map((i: Json) => i.type)).toEqual(['release', 'arrest']);
    const society = (await admin(inOrder, '/v1/admin/organizations?q=relief')).items[0];
    expect(society.members).toHaveLength(4);
    expect(society.members.map(Object.keys)).toEqual(society.members.map(() => ['id', 'name', 'role']));
  });

  it('lists every consumer with its lag and refuses to rebuild the alert router', async () => {
    const status = await admin(inOrder, '/v1/admin/projections');
    expect(status.headPosition).toBeGreaterThan(0);
    expect(status.projections.map((p: Json) => p.name)).toEqual([
      'incidents',
      'persons',
      'organizations',
      'name-index',
      'name-words',
      'similar-names',
      'subject-merges',
      'alert-router',
    ]);
    expect(status.projections[0]).toEqual({
      name: 'incidents',
      position: expect.any(Number),
      lag: 0,
      oldestUnprocessedAgeMs: 0,
      status: 'running',
      lastError: null,
    });
    expect(
      (await inOrder.api.request('/v1/admin/projections/alert-router/rebuild', { method: 'POST', admin: true })).status,
    ).toBe(409);
    expect(
      (await inOrder.api.request('/v1/admin/projections/nothing/rebuild', { method: 'POST', admin: true })).status,
    ).toBe(404);
    const metrics = await (await inOrder.api.request('/metrics')).text();
    expect(metrics).toMatch(/vigil_consumer_lag\{consumer="persons"\} 0/);
  });

  it.each([
    ['/v1/admin/persons/00000000-0000-4000-8000-000000000000', 404],
    ['/v1/admin/persons/not-a-uuid', 404],
    ['/v1/admin/organizations/00000000-0000-4000-8000-000000000000', 404],
    ['/v1/admin/incidents/00000000-0000-4000-8000-000000000000', 404],
    ['/v1/admin/incidents?type=abduction', 400],
    ['/v1/admin/incidents?personId=abc', 400],
    ['/v1/admin/incidents?from=2020-13', 400],
    ['/v1/admin/incidents?cursor=garbage', 400],
    ['/v1/admin/persons?limit=0', 400],
    ['/v1/admin/persons?q=%E2%80%8C', 400],
    ['/v1/admin/persons?cursor=eyJ4IjoxfQ', 400],
  ])('answers %s with %i problem+json', async (path, status) => {
    const response = await inOrder.api.request(path, { admin: true });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it.each(['/v1/admin/persons', '/v1/admin/organizations', '/v1/admin/incidents', '/v1/admin/projections'])(
    'refuses %s without the token',
    async (path) => {
      expect((await inOrder.api.request(path)).status).toBe(401);
    },
  );

  /** Corrections change the read models: on a stack of their own, so the tests above read the seed as it came. */
  describe('after corrections', () => {
    let corrected: TestStack;
    let fictional = 0;

    beforeAll(async () => {
      corrected = await startTestStack();
      await record(corrected, seedReports());
    });
    afterAll(() => corrected?.close());

    const correct = async (incidentId: string, action: 'confirm' | 'retract') => {
      const response = await corrected.api.request(`/v1/admin/incidents/${incidentId}/${action}`, {
        method: 'POST',
        admin: true,
        json: action === 'retract' ? { reason: 'test' } : { source: { name: 'Second Monitor' } },
      });
      expect(response.status).toBe(200);
    };
    /** Records an incident through the admin intake and answers its id. */
    const reported = (type: string, occurredOn: string, persons: Json[]) =>
      recordReport(corrected.api, {
        externalId: `read-models-${++fictional}`,
        type,
        occurredOn,
        persons,
        source: { name: 'Test Monitor', status: 'unconfirmed' },
      });
    /** An arrest and a release of a person no other test reads; answers the person's and incidents' ids. */
    const arrestAndRelease = async (name: string) => {
      const arrestId = await reported('arrest', '2023-01-10', [{ name }]);
      const releaseId = await reported('release', '2023-02-20', [{ name }]);
      await corrected.caughtUp();
      const [person] = (await admin(corrected, `/v1/admin/persons?q=${encodeURIComponent(name)}`)).items;
      return { personId: person.id as string, arrestId, releaseId };
    };

    it('shows a day without a year after every dated incident, with no range, in no date filter, and no status over a dated one', async () => {
      const name = 'Fictional Yearless Detainee';
      const { personId, arrestId, releaseId } = await arrestAndRelease(name);
      const yearless = await reported('arrest', '--06-11', [{ id: personId }]);
      await corrected.caughtUp();

      const shown = await admin(corrected, `/v1/admin/incidents/${yearless}`);
      expect(shown).toMatchObject({ occurredOn: '--06-11', occurredOnPrecision: 'month-day', occurredOnRange: null });
      const person = await admin(corrected, `/v1/admin/persons/${personId}`);
      // Newest first: the day without a year sorts after every dated one, so it leads.
      expect(person.incidents.map((i: Json) => i.occurredOn)).toEqual(['--06-11', '2023-02-20', '2023-01-10']);
      // It cannot be proven later than the dated release: the release still gives the status.
      expect(person).toMatchObject({ status: 'released', statusSince: '2023-02-20' });

      const filtered = async (query: string) =>
        (await admin(corrected, `/v1/admin/incidents?personId=${personId}&${query}`)).items.map(
          (i: Json) => i.occurredOn,
        );
      expect(await filtered('from=2000-01-01')).toEqual(['2023-02-20', '2023-01-10']);
      expect(await filtered('to=2999-12-31')).toEqual(['2023-02-20', '2023-01-10']);
      // The keyset cursor carries its start (infinity) from one page to the next.
      const first = await admin(corrected, `/v1/admin/incidents?personId=${personId}&limit=1`);
      expect(first.items.map((i: Json) => i.occurredOn)).toEqual(['--06-11']);
      const next = await admin(
        corrected,
        `/v1/admin/incidents?personId=${personId}&limit=1&cursor=${first.nextCursor}`,
      );
      expect(next.items.map((i: Json) => i.occurredOn)).toEqual(['2023-02-20']);

      // Once nothing dated gives a status, the day without a year does.
      await correct(releaseId, 'retract');
      await correct(arrestId, 'retract');
      await corrected.caughtUp();
      expect(await admin(corrected, `/v1/admin/persons/${personId}`)).toMatchObject({
        status: 'detained',
        statusSince: '--06-11',
      });
    });

    it('shows a retraction: the incident is retracted and the person status falls back', async () => {
      const rahimi = (await admin(corrected, '/v1/admin/persons?q=zahra')).items[0];
      const release = rahimi.incidents.find((i: Json) => i.type === 'release');
      await correct(release.id, 'retract');
      await corrected.caughtUp();
      const after = await admin(corrected, `/v1/admin/persons/${rahimi.id}`);
      expect(after).toMatchObject({ status: 'detained', statusSince: '2020-09-06' });
      expect(after.incidents.find((i: Json) => i.id === release.id).status).toBe('retracted');
    });

    it('shows a confirmation: the incident is confirmed, by the source the admin named', async () => {
      const { personId, arrestId } = await arrestAndRelease('Fictional Vouched');
      await correct(arrestId, 'confirm');
      await corrected.caughtUp();
      expect(await admin(corrected, `/v1/admin/incidents/${arrestId}`)).toMatchObject({
        status: 'confirmed',
        confirmedBy: { name: 'Second Monitor' },
      });
      const person = await admin(corrected, `/v1/admin/persons/${personId}`);
      expect(person.incidents.find((i: Json) => i.id === arrestId).status).toBe('confirmed');
      expect(person).toMatchObject({ status: 'released', statusSince: '2023-02-20' });
    });

    const newSource = async (name: string, kind?: string) => {
      const response = await corrected.api.request('/v1/admin/sources', {
        method: 'POST',
        admin: true,
        json: { name, kind },
      });
      expect(response.status).toBe(201);
      return (await readJson(response)) as { id: string; secret: string };
    };

    it('shows the source that reported an incident through the webhook, with its kind; none for an admin report', async () => {
      const partner = await newSource('Fictional State Agency', 'state_media');
      const response = await postSigned(corrected.api, partner, {
        externalId: 'read-models-state-media',
        type: 'arrest',
        occurredOn: '2023-03-01',
        persons: [{ name: 'Fictional Sourced' }],
        source: { name: 'Its bulletin', url: 'https://agency.example/bulletin/1', status: 'confirmed' },
      });
      expect(response.status).toBe(201);
      const { incidentId } = await readJson(response);
      const { arrestId } = await arrestAndRelease('Fictional Unsourced');
      await corrected.caughtUp();
      const incident = await admin(corrected, `/v1/admin/incidents/${incidentId}`);
      expect(incident.sources).toEqual([
        {
          id: partner.id,
          name: 'Fictional State Agency',
          kind: 'state_media',
          url: 'https://agency.example/bulletin/1',
          reportedAt: incident.recordedAt,
        },
      ]);
      expect(new Date(incident.recordedAt).getTime()).not.toBeNaN();
      expect((await admin(corrected, `/v1/admin/incidents/${arrestId}`)).sources).toEqual([]);
    });

    it('reads a report recorded before sources had kinds (schema version 1) as reported by an hr_ngo source', async () => {
      const partner = await newSource('Fictional Old Partner');
      const incidentId = randomUUID();
      // As the intake wrote it before version 2: `sourceId` and no `reportedBy`.
      await corrected.api.app.get(EventStore).append([
        {
          streamId: `incident-${incidentId}`,
          expected: 'no_stream',
          events: [
            {
              type: 'ArrestRecorded',
              schemaVersion: 1,
              data: {
                incidentId,
                externalId: 'read-models-version-1',
                sourceId: partner.id,
                occurredOn: { value: '2019-05-04', precision: 'day', from: '2019-05-04', to: '2019-05-04' },
                persons: [],
                organizations: [],
                details: {},
                source: { name: 'An old bulletin', status: 'unconfirmed' },
              },
              metadata: { actor: `source:${partner.id}`, source: partner.id },
            },
          ],
        },
      ]);
      await corrected.caughtUp();
      const incident = await admin(corrected, `/v1/admin/incidents/${incidentId}`);
      expect(incident).toMatchObject({ type: 'arrest', occurredOn: '2019-05-04', sourceId: partner.id });
      expect(incident.sources).toEqual([
        { id: partner.id, name: 'Fictional Old Partner', kind: 'hr_ngo', url: null, reportedAt: incident.recordedAt },
      ]);
    });

    it('rebuilds a projection to identical read models, corrections included', async () => {
      // Corrections of its own: the rebuild must apply them after the reports they correct, as the log has them.
      const { personId, arrestId, releaseId } = await arrestAndRelease('Fictional Rebuilt');
      await correct(arrestId, 'confirm');
      await correct(releaseId, 'retract');
      await corrected.caughtUp();
      const before = await snapshot(corrected);
      // Every incident as the admin reads it, its sources included (a webhook's, a schema version 1 event's).
      const incidentsBefore = (await admin(corrected, '/v1/admin/incidents?limit=500')).items;
      expect(
        incidentsBefore
          .filter((i: Json) => i.sources.length)
          .map((i: Json) => i.sources[0].kind)
          .sort(),
      ).toEqual(['hr_ngo', 'state_media']);
      const person = (await admin(corrected, `/v1/admin/persons/${personId}`)) as Json;
      expect(person).toMatchObject({ status: 'detained', statusSince: '2023-01-10' });
      await rebuildProjections(corrected, [
        'persons',
        'organizations',
        'incidents',
        'name-index',
        'name-words',
        'subject-merges',
      ]);
      expect(await snapshot(corrected)).toEqual(before);
      expect((await admin(corrected, '/v1/admin/incidents?limit=500')).items).toEqual(incidentsBefore);
      expect(await admin(corrected, `/v1/admin/persons/${personId}`)).toEqual(person);
    });
  });
});
