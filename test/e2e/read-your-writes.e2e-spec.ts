import { signInToConsole, type ConsoleSession } from '../support/console-session';
import { postForm } from '../support/page-form';
import { readJson } from '../support/read-json';
import { arrestReport } from '../support/report-bodies';
import { createSource, postReport } from '../support/signed-webhook';
import { expectProblem } from '../support/expect-problem';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/test-worker';
import { waitFor } from '../support/wait-for';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Reading one's own writes (docs/api.md, "Reading your own writes"): every admin action answers with the log
 * position of its append (`Vigil-Log-Position`), `GET /v1/admin/projections?position=` says which projections have
 * passed that append, and the console waits for the ones its next page reads, by that position rather than for a
 * while, and says so when they have not caught up.
 */
describe('Reading your own writes: the log position of an action, and the console that waits for it', () => {
  let stack: TestStack;
  let ihr: { id: string; secret: string };
  let second: { id: string; secret: string };
  let session: ConsoleSession;

  const admin = async (path: string) => readJson(await stack.api.request(path, { admin: true }));
  const act = (path: string, json: unknown = {}) => stack.api.request(path, { method: 'POST', admin: true, json });
  const positionOf = (response: Response) => Number(response.headers.get('vigil-log-position'));
  /** The event at a log position: its stream and type. */
  const eventAt = async (position: number) =>
    (await stack.db.pool.query('SELECT stream_id, type FROM events WHERE position = $1', [position])).rows[0];
  /** Whether each of these projections has passed the append at `position`, as the API says. */
  const passed = async (position: number, names: string[]) =>
    (await admin(`/v1/admin/projections?position=${position}`)).projections
      .filter((p: Json) => names.includes(p.name))
      .map((p: Json) => p.passed);
  const consoleForm = (path: string, fields: Record<string, string>) =>
    postForm(stack.api.baseUrl, path, { _csrf: session.csrf, ...fields }, session.cookie);
  const page = async (path: string) =>
    (await fetch(`${stack.api.baseUrl}${path}`, { headers: { cookie: session.cookie } })).text();
  /** Two partners give one arrest days apart: one incident, disputed. */
  async function disputedArrest(name: string, day: string, otherDay: string): Promise<string> {
    const first = await postReport(stack.api, ihr, arrestReport(`ihr-${name}`, day, [name]));
    const other = await postReport(stack.api, second, arrestReport(`second-${name}`, otherDay, [name]));
    expect([first.body.status, other.body.status]).toEqual(['recorded', 'disputed']);
    return first.body.incidentId;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    ihr = await createSource(stack.api, 'Iran Human Rights');
    second = await createSource(stack.api, 'Fictional Second Monitor');
    session = await signInToConsole(stack.api.baseUrl);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("answers each admin action with the log position of its append, or of what a retry's answer rests on", async () => {
    const recorded = await act('/v1/admin/incidents', arrestReport('admin-rw-1', '2024-02-03', ['Fictional Rw One']));
    expect(recorded.status).toBe(201);
    const { incidentId, position } = await readJson(recorded);
    // The intake's `position` is its header.
    expect(positionOf(recorded)).toBe(position);
    expect(await eventAt(position)).toEqual({ stream_id: `incident-${incidentId}`, type: 'ArrestRecorded' });

    const confirmed = await act(`/v1/admin/incidents/${incidentId}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(await eventAt(positionOf(confirmed))).toEqual({
      stream_id: `incident-${incidentId}`,
      type: 'IncidentConfirmed',
    });
    // Confirmed again (a retry): nothing appended, and the answer rests on the confirmation.
    const again = await act(`/v1/admin/incidents/${incidentId}/confirm`);
    expect(positionOf(again)).toBe(positionOf(confirmed));

    const disputed = await disputedArrest('Fictional Rw Disputed', '2024-03-10', '2024-03-12');
    const resolved = await act(`/v1/admin/incidents/${disputed}/resolve`, { field: 'occurredOn', value: '2024-03-12' });
    expect(resolved.status).toBe(200);
    expect((await eventAt(positionOf(resolved))).type).toBe('ConflictResolved');

    await stack.caughtUp();
    const person = (await admin(`/v1/admin/incidents/${incidentId}`)).persons[0].id;
    const alias = await act(`/v1/admin/persons/${person}/aliases`, { name: 'Fictional Rw Uno' });
    expect(await readJson(alias)).toMatchObject({ added: true });
    expect(await eventAt(positionOf(alias))).toEqual({ stream_id: `person-${person}`, type: 'AliasAdded' });
    const known = await act(`/v1/admin/persons/${person}/aliases`, { name: 'Fictional Rw Uno' });
    expect(await readJson(known)).toMatchObject({ added: false });
    expect(positionOf(known)).toBe(positionOf(alias));

    // A refusal appended nothing and carries no position.
    const refused = await act(`/v1/admin/incidents/${incidentId}/resolve`, {
      field: 'occurredOn',
      value: '2024-02-04',
    });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('vigil-log-position')).toBeNull();
    // The reads carry none either.
    expect(
      (await stack.api.request('/v1/admin/incidents', { admin: true })).headers.get('vigil-log-position'),
    ).toBeNull();
  });

  it('says which projections have passed an append, and refuses a position no event has', async () => {
    const recorded = await act('/v1/admin/incidents', arrestReport('admin-rw-2', '2024-04-05', ['Fictional Rw Two']));
    const position = positionOf(recorded);
    await waitFor(async () => (await passed(position, ['incidents', 'persons'])).every(Boolean), {
      what: 'the projections to pass the append',
    });
    const status = await admin(`/v1/admin/projections?position=${position}`);
    expect(status.projections.every((p: Json) => typeof p.passed === 'boolean')).toBe(true);
    // Without a position, nothing is said about any append.
    expect((await admin('/v1/admin/projections')).projections.some((p: Json) => 'passed' in p)).toBe(false);

    const { headPosition } = status;
    for (const wrong of ['0', '-1', 'one', '1.5', String(headPosition + 1000)]) {
      const response = await stack.api.request(`/v1/admin/projections?position=${wrong}`, { admin: true });
      const problem = await expectProblem(response, 400);
      expect([wrong, [...new Set(problem.errors.map((e: Json) => e.path))]]).toEqual([wrong, ['position']]);
    }
  });

  it('shows the page once the projections it reads have passed the action, and says so when they have not', async () => {
    const stalled = await disputedArrest('Fictional Rw Stalled', '2024-05-10', '2024-05-11');
    await stack.caughtUp();
    // No worker: no projection moves. The console waits its while, then shows the page as it is, and says so.
    await stack.worker.close();
    try {
      const resolved = await consoleForm(`/admin/incidents/${stalled}/resolve?lang=en`, {
        field: 'occurredOn',
        choice: '2024-05-11',
      });
      expect(resolved.status).toBe(303);
      const location = resolved.headers.get('location')!;
      expect(location).toBe(`/admin/incidents/${stalled}?lang=en&done=resolved&behind=1`);
      const shown = await page(location);
      expect(shown).toContain('The conflict is resolved');
      expect(shown).toContain('This page may not show it yet');
      // It was written; only the read model is behind.
      expect(shown).toMatch(/data-verification="disputed">/);
      const { rows } = await stack.db.pool.query(
        `SELECT position FROM events WHERE type = 'ConflictResolved' AND data->>'incidentId' = $1`,
        [stalled],
      );
      expect(await passed(rows[0].position, ['incidents'])).toEqual([false]);
      // In Persian too.
      expect(await page(`/admin/incidents/${stalled}?lang=fa&done=resolved&behind=1`)).toContain(
        'این صفحه شاید هنوز آن را نشان ندهد',
      );
    } finally {
      stack.worker = await startTestWorker(stack.config);
    }

    // With the worker back, the console's next action waits for it: the page shows the confirmation, no notice.
    const confirmed = await consoleForm(`/admin/incidents/${stalled}/confirm?lang=en`, {});
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/admin/incidents/${stalled}?lang=en&done=confirmed`);
    const shown = await page(confirmed.headers.get('location')!);
    expect(shown).not.toContain('This page may not show it yet');
    expect(shown).toMatch(/data-verification="confirmed">/);
    expect(await admin(`/v1/admin/incidents/${stalled}`)).toMatchObject({
      occurredOn: '2024-05-11',
      status: 'confirmed',
    });
  });
});
