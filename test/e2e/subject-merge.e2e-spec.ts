import { watchByEmail } from '../support/email-subscription';
import { expectProblem } from '../support/expect-problem';
import { alertMailsTo } from '../support/mails-to';
import { createSource, postSigned } from '../support/signed-webhook';
import { readJson } from '../support/read-json';
import { recordReport } from '../support/recorded-report';
import { addressIndexOf } from '../support/subscriber-data';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { rebuildProjections } from '../support/rebuild-projections';
import { startTestStack, type TestStack } from '../support/test-stack';
import { walkPages } from '../support/walk-pages';
import { countEvents } from '../support/event-count';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PROJECTIONS = ['incidents', 'persons', 'organizations', 'name-index', 'name-words', 'subject-merges'];

describe('Merge and unmerge of persons and organisations', () => {
  let smtp: TestSmtpServer;
  let stack: TestStack;
  let reportNumber = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    stack = await startTestStack({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  const admin = async (path: string, init: { method?: string; json?: unknown } = {}) =>
    stack.api.request(path, { admin: true, ...init });
  const read = async (path: string): Promise<Json> => {
    const response = await admin(path);
    expect(response.status).toBe(200);
    return readJson(response);
  };
  const ownerOf = async (key: string) =>
    (await stack.db.pool.query(`SELECT subject_id FROM subject_name_keys WHERE subject = 'person' AND key = $1`, [key]))
      .rows[0]?.subject_id;

  const report = (persons: Json[], organizations: Json[] = [], type = 'arrest'): Promise<string> =>
    recordReport(stack.api, {
      externalId: `merge-${++reportNumber}`,
      type,
      // A year apart each: reports of one person days apart would be one incident (docs/architecture.md, "Matching").
      occurredOn: `${1900 + reportNumber}-02-14`,
      persons,
      organizations,
      source: { name: 'Test Monitor', status: 'confirmed' },
    });
  const personOf = async (incidentId: string): Promise<string> => {
    await stack.caughtUp();
    return (await read(`/v1/admin/incidents/${incidentId}`)).persons[0].id;
  };
  const post = (path: string, json: unknown) => admin(path, { method: 'POST', json });

  // --- subscribers -------------------------------------------------------------------------------------
  const subscribe = (email: string, persons: string[]) => watchByEmail(stack.api, smtp, { email, watch: { persons } });
  /** The incidents an address was alerted about (incident.recorded), in id order: as the router wrote them. */
  const alertedAbout = async (email: string): Promise<string[]> =>
    (
      await stack.db.pool.query(
        `SELECT d.incident_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
          WHERE s.email_index = $1 AND d.alert_type = 'incident.recorded' ORDER BY d.incident_id`,
        [addressIndexOf(email)],
      )
    ).rows.map((row) => row.incident_id);

  /** Every person and organisation as the admin reads them, and one person's view by each id. */
  async function readModels(ids: string[]) {
    await stack.caughtUp();
    return {
      persons: (await read('/v1/admin/persons?limit=500')).items,
      organizations: (await read('/v1/admin/organizations?limit=500')).items,
      views: await Promise.all(ids.map((id) => read(`/v1/admin/persons/${id}`))),
      incidents: (await read('/v1/admin/incidents?limit=500')).items,
    };
  }
  const rebuildEverything = () => rebuildProjections(stack, PROJECTIONS);

  it('alerts the watchers of both after a merge, each about its own after an unmerge, never twice', async () => {
    const first = await report(
      [{ name: 'Fictional Keymanesh', memberOf: [{ organization: 'Fictional Circle' }] }],
      [{ name: 'Fictional Circle' }],
    );
    const second = await report([{ name: 'Fictional Kaymanesh' }]);
    const merged = await personOf(first);
    const survivor = await personOf(second);
    expect(merged).not.toBe(survivor);
    await subscribe('by-name@example.org', ['fictional keymanesh']);
    await subscribe('by-id@example.org', [survivor]);
    const before = await readModels([merged, survivor]);

    const answer = await post(`/v1/admin/persons/${merged}/merge`, { into: survivor, reason: 'one person' });
    expect(answer.status).toBe(200);
    expect(await readJson(answer)).toEqual({ id: merged, into: survivor, status: 'merged' });
    expect(await ownerOf('fictionalkeymanesh')).toBe(survivor);

    const aboutMerged = await report([{ name: 'FICTIONAL KEYMANESH' }], [], 'release');
    const aboutSurvivor = await report([{ name: 'Fictional Kaymanesh' }]);
    // The report naming the merged one's spelling resolved to the survivor, and added no alias to it.
    expect(await personOf(aboutMerged)).toBe(survivor);
    await stack.settled();
    expect(await alertedAbout('by-name@example.org')).toEqual([aboutMerged, aboutSurvivor].sort());
    expect(await alertedAbout('by-id@example.org')).toEqual([aboutMerged, aboutSurvivor].sort());
    expect(alertMailsTo(smtp, 'by-name@example.org')).toHaveLength(2);
    expect(alertMailsTo(smtp, 'by-id@example.org')).toHaveLength(2);

    const whileMerged = await readModels([merged, survivor]);
    const [viaMerged, viaSurvivor] = whileMerged.views;
    expect(viaMerged).toEqual(viaSurvivor);
    expect(viaSurvivor).toMatchObject({
      id: survivor,
      name: 'Fictional Kaymanesh',
      aliases: ['Fictional Keymanesh'],
      mergedFrom: [merged],
      organizations: [{ name: 'Fictional Circle' }],
    });
    expect(viaSurvivor.incidents.map((i: Json) => i.id).sort()).toEqual(
      [first, second, aboutMerged, aboutSurvivor].sort(),
    );
    expect(whileMerged.persons.map((p: Json) => p.id)).not.toContain(merged);
    const search = await read('/v1/admin/persons?q=keymanesh');
    expect(search.items.map((p: Json) => [p.id, p.match])).toEqual([[survivor, 'word']]);
    const byPerson = await read(`/v1/admin/incidents?personId=${merged}&limit=50`);
    expect(byPerson.items).toHaveLength(4);

    await rebuildEverything();
    expect(await readModels([merged, survivor])).toEqual(whileMerged);

    const undone = await post(`/v1/admin/persons/${merged}/unmerge`, { reason: 'two people after all' });
    expect(undone.status).toBe(200);
    expect(await readJson(undone)).toEqual({ id: merged, from: survivor, status: 'unmerged' });
    expect(await ownerOf('fictionalkeymanesh')).toBe(merged);
    const afterMerged = await report([{ name: 'Fictional Keymanesh' }]);
    const afterSurvivor = await report([{ name: 'Fictional Kaymanesh' }]);
    await stack.settled();
    expect(await alertedAbout('by-name@example.org')).toEqual([aboutMerged, aboutSurvivor, afterMerged].sort());
    expect(await alertedAbout('by-id@example.org')).toEqual([aboutMerged, aboutSurvivor, afterSurvivor].sort());

    // As if the merge had never happened: the report naming the merged one's spelling while the merge stood
    // is its own again.
    const after = await readModels([merged, survivor]);
    const ids = (view: Json) => view.incidents.map((i: Json) => i.id).sort();
    expect(ids(after.views[0])).toEqual([first, aboutMerged, afterMerged].sort());
    expect(ids(after.views[1])).toEqual([second, aboutSurvivor, afterSurvivor].sort());
    const strip = (view: Json) => ({ ...view, incidents: undefined, status: undefined, statusSince: undefined });
    expect(strip(after.views[0])).toEqual(strip(before.views[0]));
    expect(strip(after.views[1])).toEqual(strip(before.views[1]));
    expect(after.views[0]).toMatchObject({ id: merged, mergedFrom: [], status: 'detained' });
    expect(await personOf(aboutMerged)).toBe(merged);

    await rebuildEverything();
    expect(await readModels([merged, survivor])).toEqual(after);
  });

  it('keeps every report that arrives while the merge happens: all end with the survivor', async () => {
    const one = await personOf(await report([{ name: 'Fictional Concurrent Yavari' }]));
    const other = await personOf(await report([{ name: 'Fictional Konkurrent Yavari' }]));
    const spellings = ['Fictional Concurrent Yavari', 'Fictional Konkurrent Yavari'];
    const reports = Array.from({ length: 30 }, (_, i) => report([{ name: spellings[i % 2] }]));
    await new Promise((resolve) => setTimeout(resolve, 15));
    const merge = post(`/v1/admin/persons/${one}/merge`, { into: other, reason: 'one person' });
    const [answer, ...recorded] = await Promise.all([merge, ...reports]);
    expect(answer.status).toBe(200);
    const later = await Promise.all(Array.from({ length: 4 }, (_, i) => report([{ name: spellings[i % 2] }])));

    await stack.caughtUp();
    const survivor = await read(`/v1/admin/persons/${other}`);
    expect(await read(`/v1/admin/persons/${one}`)).toEqual(survivor);
    const incidents = survivor.incidents.map((i: Json) => i.id);
    expect(incidents).toHaveLength(2 + recorded.length + later.length);
    expect(incidents).toEqual(expect.arrayContaining([...recorded, ...later]));
    expect(await ownerOf('fictionalconcurrentyavari')).toBe(other);
    expect(await ownerOf('fictionalkonkurrentyavari')).toBe(other);
    // No spelling of the merged one became an alias of the survivor's own.
    const { rows } = await stack.db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'AliasAdded' AND data->>'id' = $1`,
      [other],
    );
    expect(rows[0].n).toBe(0);
  });

  it('resolves reports in either script to a person an admin gave an alias in Persian script', async () => {
    const person = await personOf(await report([{ name: 'Fictional Sharmin Namouneh' }]));
    const added = await post(`/v1/admin/persons/${person}/aliases`, { name: 'شارمین نمونه' });
    expect(added.status).toBe(200);
    expect(await readJson(added)).toEqual({ id: person, alias: 'شارمین نمونه', added: true });
    // The same name again (another letter form of it) adds nothing.
    const again = await post(`/v1/admin/persons/${person}/aliases`, { name: 'شارمين نمونه' });
    expect(await readJson(again)).toEqual({ id: person, alias: 'شارمين نمونه', added: false });

    expect(await personOf(await report([{ name: 'شارمین نمونه' }]))).toBe(person);
    expect(await personOf(await report([{ name: 'شارمين  نمونه' }]))).toBe(person);
    expect(await personOf(await report([{ name: 'fictional sharmin namouneh' }]))).toBe(person);
    const view = await read(`/v1/admin/persons/${person}`);
    expect(view.aliases).toEqual(['شارمین نمونه']);
    expect(view.incidents).toHaveLength(4);
    expect((await read(`/v1/admin/persons?q=${encodeURIComponent('شارمین')}`)).items.map((p: Json) => p.id)).toContain(
      person,
    );

    // Organisations the same.
    const org = (await readJson(await admin('/v1/admin/organizations?q=fictional%20circle'))).items[0]?.id;
    expect(org).toBeDefined();
    expect((await post(`/v1/admin/organizations/${org}/aliases`, { name: 'حلقه نمونه' })).status).toBe(200);
    await report([{ name: 'Fictional Other Member' }], [{ name: 'حلقه نمونه' }]);
    await stack.caughtUp();
    expect((await read(`/v1/admin/organizations/${org}`)).incidents).toHaveLength(2);
  });

  it("keeps an unmerge's attribution when the incident it gave back is folded again (a later source)", async () => {
    const arrest = await report([{ name: 'Fictional Refold Keymanesh' }]);
    const other = await report([{ name: 'Fictional Refold Kaymanesh' }]);
    const merged = await personOf(arrest);
    const survivor = await personOf(other);
    expect((await post(`/v1/admin/persons/${merged}/merge`, { into: survivor, reason: 'one person' })).status).toBe(
      200,
    );
    // While the merge stands, a release of the merged one's spelling lands on the survivor ...
    const release = await report([{ name: 'Fictional Refold Keymanesh' }], [], 'release');
    expect(await personOf(release)).toBe(survivor);
    // ... and the unmerge gives it back.
    expect((await post(`/v1/admin/persons/${merged}/unmerge`, { reason: 'two people' })).status).toBe(200);
    await stack.caughtUp();
    const given = await read(`/v1/admin/persons/${merged}`);
    expect(given).toMatchObject({ status: 'released' });
    expect(given.incidents.map((i: Json) => i.id).sort()).toEqual([arrest, release].sort());

    // A partner reports the same release under the survivor's spelling (the write side's index still lists
    // the incident under the survivor): a second source, and the incident is folded again from its stream.
    const partner = await createSource(stack.api, 'Fictional Refold Monitor');
    const { occurredOn } = await read(`/v1/admin/incidents/${release}`);
    const corroboration = await postSigned(stack.api, partner, {
      externalId: 'refold-release',
      type: 'release',
      occurredOn,
      persons: [{ name: 'Fictional Refold Kaymanesh' }],
      source: { name: 'A bulletin', status: 'unconfirmed' },
    });
    expect(await readJson(corroboration)).toMatchObject({ incidentId: release, status: 'corroborated' });
    const after = await readModels([merged, survivor]);
    expect(after.incidents.find((i: Json) => i.id === release)).toMatchObject({
      verification: 'corroborated',
      persons: [{ id: merged, name: 'Fictional Refold Keymanesh' }],
    });
    const [mergedView, survivorView] = after.views;
    expect(mergedView).toMatchObject({ status: 'released' });
    expect(mergedView.incidents.map((i: Json) => i.id).sort()).toEqual([arrest, release].sort());
    expect(survivorView).toMatchObject({ status: 'detained' });
    expect(survivorView.incidents.map((i: Json) => i.id)).toEqual([other]);

    await rebuildEverything();
    expect(await readModels([merged, survivor])).toEqual(after);
  });

  it('lists a merge group once in a search, across pages of any size, and loses no one after it', async () => {
    const persons = async (names: string[]) =>
      Promise.all(names.map(async (name) => personOf(await report([{ name }]))));
    const merge = async (merged: string, into: string) =>
      expect((await post(`/v1/admin/persons/${merged}/merge`, { into, reason: 'one person' })).status).toBe(200);
    /** The ids of every page of a search, walked `limit` at a time. */
    const walk = async (q: string, limit: number): Promise<string[]> =>
      (await walkPages(read, `/v1/admin/persons?q=${encodeURIComponent(q)}&limit=${limit}`)).map((p) => p.id);
    // Keys in this order: the merged ones' names come before and after their survivor's, and a stranger last.
    const [first, survivor, third, stranger] = await persons([
      'Fictional Paged Aa',
      'Fictional Paged Bb',
      'Fictional Paged Cc',
      'Fictional Paged Dd',
    ]);
    await merge(first, survivor);
    await merge(third, survivor);
    // Similar names (one loose key, no prefix matched): two spellings merged, and a stranger with a third.
    const [spelling, otherSpelling, similarStranger] = await persons([
      'Fictional Grouped Keymanesh',
      'Fictional Grouped Kaymanesh',
      'Fictional Grouped Keymaanesh',
    ]);
    await merge(spelling, otherSpelling);
    await stack.caughtUp();
    const cases: [q: string, ids: string[], match: string][] = [
      ['fictional paged', [survivor, stranger], 'name'],
      ['paged', [survivor, stranger], 'word'],
      ['Fictional Grouped Keimanesh', [otherSpelling, similarStranger], 'similar'],
    ];
    for (const [q, ids, match] of cases) {
      const whole = (await read(`/v1/admin/persons?q=${encodeURIComponent(q)}&limit=500`)).items;
      const listed = whole.map((p: Json) => p.id);
      expect({ q, listed: [...listed].sort() }).toEqual({ q, listed: [...ids].sort() });
      expect(whole.map((p: Json) => p.match)).toEqual(ids.map(() => match));
      if (q === 'fictional paged') expect(listed).toEqual(ids);
      for (const limit of [1, 2, 3])
        expect({ q, limit, walked: await walk(q, limit) }).toEqual({ q, limit, walked: listed });
    }
  });

  it('refuses bad merges, unmerges and aliases with a problem, and writes nothing', async () => {
    const a = await personOf(await report([{ name: 'Fictional Bad Input One' }]));
    const b = await personOf(await report([{ name: 'Fictional Bad Input Two' }]));
    const c = await personOf(await report([{ name: 'Fictional Bad Input Three' }]));
    expect((await post(`/v1/admin/persons/${c}/merge`, { into: b, reason: 'same' })).status).toBe(200);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: [string, unknown, number, string?][] = [
      [`/v1/admin/persons/${a}/merge`, { into: a, reason: 'same' }, 400],
      [`/v1/admin/persons/${a}/merge`, { into: unknown, reason: 'same' }, 404],
      [`/v1/admin/persons/${unknown}/merge`, { into: a, reason: 'same' }, 404],
      [`/v1/admin/persons/not-a-uuid/merge`, { into: a, reason: 'same' }, 404],
      [`/v1/admin/persons/${a}/merge`, { into: 'nobody', reason: 'same' }, 400, 'into'],
      [`/v1/admin/persons/${a}/merge`, { into: b }, 400, 'reason'],
      [`/v1/admin/persons/${a}/merge`, { into: b, reason: '   ' }, 400, 'reason'],
      [`/v1/admin/persons/${a}/merge`, { into: c, reason: 'same' }, 409],
      [`/v1/admin/persons/${c}/merge`, { into: a, reason: 'same' }, 409],
      [`/v1/admin/organizations/${a}/merge`, { into: b, reason: 'same' }, 404],
      [`/v1/admin/persons/${a}/unmerge`, {}, 409],
      [`/v1/admin/persons/${unknown}/unmerge`, {}, 404],
      [`/v1/admin/persons/${a}/aliases`, { name: '!!!' }, 400],
      [`/v1/admin/persons/${a}/aliases`, { name: '' }, 400, 'name'],
      [`/v1/admin/persons/${a}/aliases`, {}, 400, 'name'],
      [`/v1/admin/persons/${a}/aliases`, { name: 'Fictional Bad Input Two' }, 409],
      [`/v1/admin/persons/${c}/aliases`, { name: 'Fictional Other' }, 409],
      [`/v1/admin/persons/${unknown}/aliases`, { name: 'Fictional Other' }, 404],
    ];
    const events = await countEvents(stack.db.pool);
    const keys = (await stack.db.pool.query('SELECT count(*)::int AS n FROM subject_name_keys')).rows[0].n;
    for (const [path, body, status, field] of cases) {
      const problem = await expectProblem(await post(path, body), status);
      if (field) expect(problem.errors.map((e: Json) => e.path)).toContain(field);
    }
    const taken = await expectProblem(
      await post(`/v1/admin/persons/${a}/aliases`, { name: 'FICTIONAL BAD INPUT TWO' }),
      409,
    );
    expect(taken.detail).toContain(b);
    expect(await countEvents(stack.db.pool)).toBe(events);
    expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM subject_name_keys')).rows[0].n).toBe(keys);
  });
});
