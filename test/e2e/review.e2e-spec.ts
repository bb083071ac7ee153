import { AddIncidentReviewItems1764387200000 as Migration } from '../../libs/platform/src/migrations/1764387200000-AddIncidentReviewItems';
import { createSource, postSigned } from '../support/signed-webhook';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { walkPages } from '../support/walk-pages';
import { countEvents } from '../support/event-count';
import { incidentAction } from '../support/recorded-report';
import { arrestReport } from '../support/report-bodies';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * What waits for a person (docs/api.md, "Review"): similar names, possible duplicate incidents and open
 * conflicts on one list, oldest first, made by partners' signed reports as they would send them.
 */
describe('The review list: similar names, possible duplicate incidents, conflicts', () => {
  let stack: TestStack;
  let ihr: { id: string; secret: string };
  let second: { id: string; secret: string };
  let third: { id: string; secret: string };
  /** The incidents the reports made, by name. */
  const made = new Map<string, string>();

  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const review = async (): Promise<Json[]> => (await admin('/v1/admin/review?limit=500')).items;
  const dismiss = (id: string) => stack.api.request(`/v1/admin/review/${id}/dismiss`, { method: 'POST', admin: true });
  async function report(name: string, source: { id: string; secret: string }, body: Json, status: string) {
    const response = await postSigned(stack.api, source, body);
    const answer = await readJson(response);
    expect(answer).toMatchObject({ status });
    made.set(name, answer.incidentId);
  }
  /** The items about an incident, by kind. */
  const about = (items: Json[], kind: string, incident: string) =>
    items.filter((item) => item.kind === kind && item.incidents[0].id === made.get(incident));

  beforeAll(async () => {
    stack = await startTestStack();
    ihr = await createSource(stack.api, 'Fictional Review Monitor');
    second = await createSource(stack.api, 'Fictional Second Review Monitor');
    third = await createSource(stack.api, 'Fictional Third Review Monitor');
    // Oldest first: two spellings of one name (similar names), a disputed date (a conflict), and a report
    // matching two incidents (two possible duplicates).
    await report(
      'meymandinejad',
      ihr,
      arrestReport('r-1', '2022-01-10', ['Fictional Sharmin Meymandinejad']),
      'recorded',
    );
    await report(
      'maymandinejad',
      second,
      arrestReport('r-2', '2021-01-10', ['Fictional Sharmin Maymandinejad']),
      'recorded',
    );
    await report('disputed', ihr, arrestReport('r-3', '2024-03-10', ['Fictional Review Disputed']), 'recorded');
    await report('disputed', second, arrestReport('r-4', '2024-03-12', ['Fictional Review Disputed']), 'disputed');
    await report('one', ihr, arrestReport('r-5', '2024-07-14', ['Fictional Review One']), 'recorded');
    await report('two', second, arrestReport('r-6', '2024-07-14', ['Fictional Review Two']), 'recorded');
    await report(
      'both',
      third,
      arrestReport('r-7', '2024-07-14', ['Fictional Review One', 'Fictional Review Two']),
      'recorded',
    );
    await stack.caughtUp();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists each kind with what an admin needs to act, oldest first, paged one by one in the same order', async () => {
    const items = await review();
    expect(items.map((item) => item.kind)).toEqual([
      'similar_names',
      'conflict',
      'possible_duplicate',
      'possible_duplicate',
    ]);
    const [similar, conflict, ...duplicates] = items;
    expect(similar).toMatchObject({
      subject: 'person',
      reason: 'transliteration',
      links: {
        dismiss: `/v1/admin/review/${similar.id}/dismiss`,
        merge: expect.stringMatching(/^\/v1\/admin\/persons\//),
      },
    });
    const disputed = made.get('disputed')!;
    expect(conflict).toEqual({
      id: expect.any(String),
      kind: 'conflict',
      incidents: [
        {
          id: disputed,
          type: 'arrest',
          occurredOn: '2024-03-10',
          verification: 'disputed',
          href: `/v1/admin/incidents/${disputed}`,
        },
      ],
      field: 'occurredOn',
      values: [
        { value: '2024-03-10', sources: [ihr.id] },
        { value: '2024-03-12', sources: [second.id] },
      ],
      since: expect.any(String),
      links: { resolve: `/v1/admin/incidents/${disputed}/resolve` },
    });
    const both = made.get('both')!;
    expect(duplicates.map((item) => item.incidents.map((i: Json) => i.id)).sort()).toEqual(
      [
        [both, made.get('one')],
        [both, made.get('two')],
      ].sort(),
    );
    for (const item of duplicates) {
      expect(item).toMatchObject({
        incidents: [{ id: both, type: 'arrest', occurredOn: '2024-07-14', verification: 'reported' }, {}],
        links: { dismiss: `/v1/admin/review/${item.id}/dismiss`, merge: `/v1/admin/incidents/${both}/merge` },
      });
    }
    const since = items.map((item) => Date.parse(item.since));
    expect(since).toEqual([...since].sort((a, b) => a - b));
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);

    const walked = await walkPages(admin, '/v1/admin/review?limit=1');
    expect(walked.map((item) => item.id)).toEqual(items.map((item) => item.id));
  });

  it('dismisses a possible duplicate for good ("not the same"), once, by an event', async () => {
    const [item] = (await review()).filter(
      (i) => i.kind === 'possible_duplicate' && i.incidents[1].id === made.get('two'),
    );
    const response = await dismiss(item.id);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ id: item.id, dismissed: true });
    const { rows } = await stack.db.pool.query(`SELECT data FROM events WHERE type = 'CandidateDismissed'`);
    expect(rows.map((row) => row.data)).toEqual([{ candidateId: item.id, kind: 'possible_duplicate' }]);
    await stack.caughtUp();
    expect((await review()).map((i) => i.id)).not.toContain(item.id);
    // Again: the same answer, nothing more written.
    const before = await countEvents(stack.db.pool);
    expect((await dismiss(item.id)).status).toBe(200);
    expect(await countEvents(stack.db.pool)).toBe(before);
  });

  it('refuses to dismiss a conflict with a 409 naming the resolve route, and writes nothing', async () => {
    const [conflict] = about(await review(), 'conflict', 'disputed');
    const before = await countEvents(stack.db.pool);
    const problem = await expectProblem(await dismiss(conflict.id), 409);
    expect(problem.detail).toContain(`POST /v1/admin/incidents/${made.get('disputed')}/resolve`);
    expect(await countEvents(stack.db.pool)).toBe(before);
    await stack.caughtUp();
    expect((await review()).map((i) => i.id)).toContain(conflict.id);
  });

  it('gives the same list after a rebuild of the incidents and the candidates', async () => {
    await stack.caughtUp();
    const before = await review();
    expect(before.length).toBeGreaterThan(2);
    for (const name of ['incidents', 'similar-names']) {
      const response = await stack.api.request(`/v1/admin/projections/${name}/rebuild`, {
        method: 'POST',
        admin: true,
      });
      expect(response.status).toBe(202);
    }
    await waitFor(
      async () =>
        (await admin('/v1/admin/projections')).projections.some((p: Json) => p.status === 'rebuilding') === false,
      { what: 'rebuilds to finish' },
    );
    await stack.caughtUp();
    expect(await review()).toEqual(before);
  });

  it('takes a conflict off when it is resolved and a possible duplicate when the incidents are merged', async () => {
    const before = await review();
    const [conflict] = about(before, 'conflict', 'disputed');
    const [duplicate] = about(before, 'possible_duplicate', 'both');
    expect(duplicate.incidents[1].id).toBe(made.get('one'));

    const resolved = await incidentAction(stack.api, made.get('disputed')!, 'resolve', {
      field: 'occurredOn',
      value: '2024-03-12',
    });
    expect(resolved.status).toBe(200);
    const merged = await incidentAction(stack.api, made.get('both')!, 'merge', { into: made.get('one') });
    expect(merged.status).toBe(200);
    await stack.caughtUp();
    const after = (await review()).map((i) => i.id);
    expect(after).not.toContain(conflict.id);
    expect(after).not.toContain(duplicate.id);
    expect(after).toEqual(before.filter((i) => i !== conflict && i !== duplicate).map((i) => i.id));
    // Gone: neither can be dismissed any more.
    const events = await countEvents(stack.db.pool);
    await expectProblem(await dismiss(conflict.id), 404);
    await expectProblem(await dismiss(duplicate.id), 404);
    expect(await countEvents(stack.db.pool)).toBe(events);
  });

  it('waits since the first flag after the last resolve, and its migration fills rows from the log the same', async () => {
    // The conflict resolved above is disputed again, then flagged again with a third date.
    const fourth = await createSource(stack.api, 'Fictional Fourth Review Monitor');
    await report('disputed', third, arrestReport('r-8', '2024-03-10', ['Fictional Review Disputed']), 'disputed');
    await report('disputed', fourth, arrestReport('r-9', '2024-03-13', ['Fictional Review Disputed']), 'disputed');
    await stack.caughtUp();
    const flags = (
      await stack.db.pool.query(
        `SELECT position FROM events WHERE stream_id = $1 AND type = 'ConflictFlagged' ORDER BY position`,
        [`incident-${made.get('disputed')}`],
      )
    ).rows.map((row) => row.position);
    expect(flags).toHaveLength(3);
    const since = async () =>
      (await stack.db.pool.query(`SELECT id, conflicts_since FROM read_incidents WHERE conflicts <> '[]' ORDER BY id`))
        .rows;
    const projected = await since();
    expect(projected).toEqual([
      { id: made.get('disputed'), conflicts_since: { occurredOn: { position: flags[1], at: expect.any(String) } } },
    ]);
    const [conflict] = about(await review(), 'conflict', 'disputed');
    expect(conflict.values.map((v: Json) => v.value)).toEqual(['2024-03-12', '2024-03-10', '2024-03-13']);

    const runner = { query: (sql: string) => stack.db.pool.query(sql) } as never;
    await new Migration().down(runner);
    await new Migration().up(runner);
    expect(await since()).toEqual(projected);
  });

  it('answers 404 for an item that does not exist and 401 without the token', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', made.get('one')!]) {
      await expectProblem(await dismiss(id), 404);
    }
    expect((await stack.api.request('/v1/admin/review')).status).toBe(401);
  });
});
