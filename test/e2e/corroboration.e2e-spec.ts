import { createSource, postReport } from '../support/signed-webhook';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { seedReports } from '../support/seed';
import { rebuildProjections } from '../support/rebuild-projections';
import { startTestStack, type TestStack } from '../support/test-stack';
import { countEvents } from '../support/event-count';
import { incidentAction } from '../support/recorded-report';
import { arrestReport } from '../support/report-bodies';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * One incident however many sources report it (docs/architecture.md, "Matching" and "Verification"):
 * every report goes through the signed webhook of one of two partners, as they would send it.
 */
describe('Corroboration: one incident, several sources', () => {
  let stack: TestStack;
  let ihr: { id: string; secret: string };
  let second: { id: string; secret: string };
  let third: { id: string; secret: string };
  const seeded = new Map<string, string>();

  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const incident = (id: string) => admin(`/v1/admin/incidents/${id}`);
  const post = (source: { id: string; secret: string }, report: Json) => postReport(stack.api, source, report);
  const seed = (externalId: string) => seedReports().find((r: Json) => r.externalId === externalId);

  beforeAll(async () => {
    stack = await startTestStack();
    ihr = await createSource(stack.api, 'Iran Human Rights');
    second = await createSource(stack.api, 'Fictional Second Monitor');
    third = await createSource(stack.api, 'Fictional Third Monitor');
    for (const report of seedReports()) {
      const { status, body } = await post(ihr, report);
      expect(status).toBe(201);
      seeded.set(report.externalId, body.incidentId);
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a second source reporting the Hamedan executions corroborates the incident: one incident, two sources', async () => {
    const hamedan = seeded.get('ihr-2021-06-11-hamedan-executions')!;
    const { status, body } = await post(second, {
      ...seed('ihr-2021-06-11-hamedan-executions'),
      externalId: 'second-hamedan',
      source: { name: 'Second Monitor', url: 'https://second.example/hamedan', status: 'confirmed' },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ incidentId: hamedan, status: 'corroborated', position: expect.any(Number) });
    await stack.caughtUp();
    const read = await incident(hamedan);
    expect(read.verification).toBe('corroborated');
    expect(read.sources.map((s: Json) => [s.id, s.name, s.kind])).toEqual([
      [ihr.id, 'Iran Human Rights', 'hr_ngo'],
      [second.id, 'Fictional Second Monitor', 'hr_ngo'],
    ]);
    expect(read.sources[1].url).toBe('https://second.example/hamedan');
    const { rows } = await stack.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ExecutionRecorded'`,
    );
    expect(rows[0].n).toBe(1);
    const corroborated = await admin('/v1/admin/incidents?verification=corroborated');
    expect(corroborated.items.map((i: Json) => i.id)).toContain(hamedan);
    const bySecond = await admin(`/v1/admin/incidents?sourceId=${second.id}`);
    expect(bySecond.items.map((i: Json) => i.id)).toEqual([hamedan]);
  });

  it('the same source again under another externalId is a duplicate: nothing appended', async () => {
    const before = await countEvents(stack.db.pool);
    const { status, body } = await post(second, {
      ...seed('ihr-2021-06-11-hamedan-executions'),
      externalId: 'second-hamedan-again',
    });
    expect(status).toBe(200);
    expect(body).toEqual({ incidentId: seeded.get('ihr-2021-06-11-hamedan-executions'), status: 'duplicate' });
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('the Hamedan executions "on 11 June" without a year never match the dated ones by year: a possible duplicate', async () => {
    const hamedan = seeded.get('ihr-2021-06-11-hamedan-executions')!;
    const { status, body } = await post(third, {
      ...seed('ihr-2021-06-11-hamedan-executions'),
      externalId: 'third-hamedan-undated',
      occurredOn: '--06-11',
    });
    expect(status).toBe(201);
    await stack.caughtUp();
    expect(await incident(body.incidentId)).toMatchObject({
      occurredOn: '--06-11',
      possibleDuplicates: [hamedan],
      verification: 'reported',
    });
    // The admin, who knows they are one, merges it: the dated incident keeps its date and gains the source.
    expect((await incidentAction(stack.api, body.incidentId, 'merge', { into: hamedan })).status).toBe(200);
    await stack.caughtUp();
    const merged = await incident(hamedan);
    expect(merged.occurredOn).toBe('2021-06-11');
    expect(merged.sources.map((s: Json) => s.id)).toEqual([ihr.id, second.id, third.id]);
  });

  it('another group naming only Katayoun Afrazeh for the arrests of 21 June 2020 joins that incident', async () => {
    const arrests = seeded.get('ihr-2020-06-21-iapsrs-arrests')!;
    const { status, body } = await post(second, {
      externalId: 'second-afrazeh',
      type: 'arrest',
      occurredOn: '2020-06',
      persons: [{ name: 'Katayoun Afrazeh' }],
      source: { name: 'Second Monitor', status: 'unconfirmed' },
    });
    expect(status).toBe(200);
    expect(body.incidentId).toBe(arrests);
    await stack.caughtUp();
    const read = await incident(arrests);
    expect(read.occurredOn).toBe('2020-06-21');
    expect(read.persons).toHaveLength(3);
  });

  it("Zahra Rahimi's arrest on 5 vs 6 September is disputed, then resolved to one date", async () => {
    const arrestId = seeded.get('ihr-2020-09-06-rahimi-arrest')!;
    const { status, body } = await post(second, {
      ...seed('ihr-2020-09-06-rahimi-arrest'),
      externalId: 'second-rahimi',
      occurredOn: '2020-09-05',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ incidentId: arrestId, status: 'disputed' });
    await stack.caughtUp();
    const disputed = await incident(arrestId);
    expect(disputed).toMatchObject({ verification: 'disputed', occurredOn: '2020-09-06', occurredOnDisputed: true });
    expect(disputed.conflicts).toEqual([
      {
        field: 'occurredOn',
        values: [
          { value: '2020-09-06', sources: [ihr.id] },
          { value: '2020-09-05', sources: [second.id] },
        ],
      },
    ]);
    // The person view flags it, and orders it by the earliest value; her status is still the release.
    const rahimi = await admin(`/v1/admin/persons/${disputed.persons[0].id}`);
    expect(rahimi).toMatchObject({ status: 'released', statusSince: '2020-09-07' });
    expect(rahimi.incidents.find((i: Json) => i.id === arrestId).occurredOnDisputed).toBe(true);
    expect((await admin('/v1/admin/incidents?verification=disputed')).items.map((i: Json) => i.id)).toEqual([arrestId]);

    const resolved = await incidentAction(stack.api, arrestId, 'resolve', {
      field: 'occurredOn',
      value: '2020-09-05',
      note: 'per IHR',
    });
    expect(resolved.status).toBe(200);
    expect(await readJson(resolved)).toEqual({ incidentId: arrestId, field: 'occurredOn', value: '2020-09-05' });
    await stack.caughtUp();
    expect(await incident(arrestId)).toMatchObject({
      occurredOn: '2020-09-05',
      verification: 'corroborated',
      conflicts: [],
      occurredOnDisputed: false,
    });

    // Nothing is open any more: a second resolve is a conflict with the state, and writes nothing.
    const before = await countEvents(stack.db.pool);
    await expectProblem(
      await incidentAction(stack.api, arrestId, 'resolve', { field: 'occurredOn', value: '2020-09-06' }),
      409,
    );
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('two arrests two days apart, taken for one, are separated: the second becomes an incident of its own', async () => {
    const first = await post(ihr, arrestReport('ihr-separate', '2024-05-10', ['Fictional Separated']));
    expect(first.status).toBe(201);
    const other = await post(second, arrestReport('second-separate', '2024-05-12', ['Fictional Separated']));
    expect(other.body).toMatchObject({ incidentId: first.body.incidentId, status: 'disputed' });
    const response = await incidentAction(stack.api, first.body.incidentId, 'resolve', {
      field: 'occurredOn',
      separate: true,
    });
    expect(response.status).toBe(200);
    const { separatedAs } = await readJson(response);
    expect(separatedAs).toEqual(expect.any(String));
    await stack.caughtUp();
    expect(await incident(first.body.incidentId)).toMatchObject({
      occurredOn: '2024-05-10',
      verification: 'reported',
      conflicts: [],
      sources: [expect.objectContaining({ id: ihr.id })],
    });
    const separated = await incident(separatedAs);
    expect(separated).toMatchObject({
      type: 'arrest',
      occurredOn: '2024-05-12',
      verification: 'reported',
      status: 'recorded',
      sources: [expect.objectContaining({ id: second.id })],
      externalId: 'second-separate',
    });
    const person = await admin(`/v1/admin/persons/${separated.persons[0].id}`);
    expect(person.incidents.map((i: Json) => i.occurredOn)).toEqual(['2024-05-12', '2024-05-10']);
    // A later report of the separated arrest finds it, not the first.
    const again = await post(third, arrestReport('third-separate', '2024-05-12', ['Fictional Separated']));
    expect(again.body).toMatchObject({ incidentId: separatedAs, status: 'corroborated' });
  });

  it('a report matching two incidents lists both as possible duplicates; merging makes one incident of all', async () => {
    const a = await post(ihr, arrestReport('ihr-merge-a', '2024-07-14', ['Fictional Merged One']));
    const b = await post(second, arrestReport('second-merge-b', '2024-07-14', ['Fictional Merged Two']));
    expect([a.status, b.status]).toEqual([201, 201]);
    const both = await post(
      third,
      arrestReport('third-merge-c', '2024-07-14', ['Fictional Merged One', 'Fictional Merged Two']),
    );
    expect(both.status).toBe(201);
    await stack.caughtUp();
    const c = await incident(both.body.incidentId);
    expect(c.possibleDuplicates).toEqual([a.body.incidentId, b.body.incidentId].sort());

    for (const id of [b.body.incidentId, both.body.incidentId]) {
      const merged = await incidentAction(stack.api, id, 'merge', { into: a.body.incidentId });
      expect(merged.status).toBe(200);
      expect(await readJson(merged)).toEqual({ incidentId: id, mergedInto: a.body.incidentId });
    }
    // Merging again into the same incident is a retry: the same answer, nothing appended.
    const before = await countEvents(stack.db.pool);
    expect((await incidentAction(stack.api, b.body.incidentId, 'merge', { into: a.body.incidentId })).status).toBe(200);
    expect(await countEvents(stack.db.pool)).toBe(before);
    await stack.caughtUp();
    const survivor = await incident(a.body.incidentId);
    expect(survivor.sources.map((s: Json) => s.id)).toEqual([ihr.id, second.id, third.id]);
    expect(survivor.persons.map((p: Json) => p.name).sort()).toEqual(['Fictional Merged One', 'Fictional Merged Two']);
    expect(survivor.verification).toBe('corroborated');
    // A merged-away incident still answers, saying where it went; the persons list only the survivor.
    expect(await incident(b.body.incidentId)).toMatchObject({ mergedInto: a.body.incidentId });
    const two = await admin(`/v1/admin/persons/${survivor.persons.find((p: Json) => p.name.endsWith('Two')).id}`);
    expect(two.incidents.map((i: Json) => i.id)).toEqual([a.body.incidentId]);
    // A later report of either person matches the survivor.
    const later = await post(ihr, arrestReport('ihr-merge-later', '2024-07', ['Fictional Merged Two']));
    expect(later.body).toMatchObject({ incidentId: a.body.incidentId, status: 'duplicate' });
  });

  it('the same event from two sources at once, 50 times: always one incident', async () => {
    for (let i = 0; i < 50; i++) {
      const name = `Fictional Concurrent ${i}`;
      // A person known already: the reports register no one, so no subject stream orders them; only the
      // lock on (type, person) does (a new person's registration would make one of them retry anyway).
      const known = { ...arrestReport(`ihr-known-${i}`, '2023-01-01', [name]), type: 'release' };
      expect((await post(ihr, known)).status).toBe(201);
      const answers = await Promise.all([
        post(ihr, arrestReport(`ihr-race-${i}`, '2024-10-01', [name])),
        post(second, arrestReport(`second-race-${i}`, '2024-10-01', [name])),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(new Set(answers.map((a) => a.body.incidentId)).size).toBe(1);
      expect(answers.map((a) => a.body.status).sort()).toEqual(['corroborated', 'recorded']);
    }
    const { rows } = await stack.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ArrestRecorded' AND data->>'externalId' LIKE '%-race-%'`,
    );
    expect(rows[0].n).toBe(50);
  });

  it('refuses bad resolves and merges with a problem, writing nothing', async () => {
    const hamedan = seeded.get('ihr-2021-06-11-hamedan-executions')!;
    const dissolution = seeded.get('ihr-2021-03-03-iapsrs-dissolution')!;
    const retracted = (await post(ihr, arrestReport('ihr-retracted', '2024-11-01', ['Fictional Retracted']))).body
      .incidentId;
    const retract = await stack.api.request(`/v1/admin/incidents/${retracted}/retract`, {
      method: 'POST',
      admin: true,
      json: { reason: 'a mistaken report' },
    });
    expect(retract.status).toBe(200);
    const before = await countEvents(stack.db.pool);
    const cases: [string, 'resolve' | 'merge', unknown, number][] = [
      [hamedan, 'resolve', { field: 'occurredOn', value: '2021-06-12' }, 409],
      [hamedan, 'resolve', { field: 'location', value: 'Tehran' }, 400],
      [hamedan, 'resolve', { field: 'occurredOn' }, 400],
      [hamedan, 'resolve', { field: 'occurredOn', value: '2021-06-12', separate: true }, 400],
      [hamedan, 'resolve', { field: 'occurredOn', separate: false }, 400],
      [hamedan, 'resolve', { field: 'occurredOn', value: '--02-30' }, 400],
      [hamedan, 'resolve', { field: 'occurredOn', value: '2021-06-12', extra: 1 }, 400],
      ['00000000-0000-4000-8000-000000000000', 'resolve', { field: 'occurredOn', value: '2021-06-12' }, 404],
      ['not-an-id', 'resolve', { field: 'occurredOn', value: '2021-06-12' }, 404],
      [hamedan, 'merge', { into: hamedan }, 400],
      [hamedan, 'merge', { into: 'not-an-id' }, 400],
      [hamedan, 'merge', {}, 400],
      [hamedan, 'merge', { into: '00000000-0000-4000-8000-000000000000' }, 400],
      ['00000000-0000-4000-8000-000000000000', 'merge', { into: hamedan }, 404],
      [hamedan, 'merge', { into: retracted }, 409],
      [retracted, 'merge', { into: hamedan }, 409],
      [hamedan, 'merge', { into: dissolution }, 409],
    ];
    for (const [id, action, body, expected] of cases) {
      const response = await incidentAction(stack.api, id, action, body);
      if (response.status !== expected) throw new Error(`${action} ${JSON.stringify(body)}: ${response.status}`);
      await expectProblem(response, expected);
    }
    await expectProblem(await stack.api.request('/v1/admin/incidents?verification=sure', { admin: true }), 400);
    await expectProblem(await stack.api.request('/v1/admin/incidents?sourceId=admin', { admin: true }), 400);
    expect((await post(second, arrestReport('second-bad-day', '--02-30', ['Fictional Bad Day']))).status).toBe(400);
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('rebuilding every projection gives identical read models', async () => {
    await stack.caughtUp();
    const read = async () => ({
      incidents: (await admin('/v1/admin/incidents?limit=500')).items,
      persons: await Promise.all(
        (await admin('/v1/admin/persons?limit=500')).items.map((p: Json) => admin(`/v1/admin/persons/${p.id}`)),
      ),
      organizations: (await admin('/v1/admin/organizations?limit=500')).items,
    });
    const before = await read();
    expect(before.incidents.some((i: Json) => i.mergedInto)).toBe(true);
    expect(before.incidents.some((i: Json) => i.verification === 'corroborated')).toBe(true);
    await rebuildProjections(stack, ['persons', 'organizations', 'incidents', 'name-index', 'name-words']);
    expect(await read()).toEqual(before);
  });
});
