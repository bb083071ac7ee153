import { randomUUID } from 'node:crypto';
import { incidentStreamId, parsePartialDate } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import { inTransaction } from '@vigil/platform';
import { readWholeWithoutAnIndex } from '../../../test/support/generic-plan';
import { appendToStream } from '../../../test/support/stream-append';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { INCIDENT_REFRESH_SQL, IncidentsProjection } from './incidents.projection';

// An incident touched by later events is written again from its fold, with the subject rows it names
// (INCIDENT_REFRESH_SQL): these cases apply such events, in batches of one or all at once, and read the rows.

describe('the incidents projection writing an incident again', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const person = (name: string) => ({ personId: randomUUID(), name, key: name.toLowerCase().replace(/ /g, '') });
  const organization = { organizationId: randomUUID(), name: 'Fictional Society', key: 'fictionalsociety' };
  const source = { sourceId: randomUUID(), name: 'Fictional Monitor', kind: 'hr_ngo' };

  /** Appends an event to the incident's stream (the next version) and returns it as a runner hands it over. */
  const append = (incidentId: string, type: string, data: object) =>
    appendToStream(db.pool, incidentStreamId(incidentId), type, { incidentId, ...data });

  const apply = (...events: RecordedEvent[]) =>
    inTransaction(db.pool, (tx) => new IncidentsProjection().applyBatch(events, tx));

  const recording = (persons: object[]) => ({
    occurredOn: parsePartialDate('2024-05-01'),
    persons,
    organizations: [organization],
    details: {},
    reportedBy: source,
    source: { name: source.name, status: 'confirmed' },
  });

  async function subjectsOf(incidentId: string): Promise<string[]> {
    const { rows } = await db.pool.query<{ subject_id: string }>(
      `SELECT subject_id FROM read_incident_subjects WHERE incident_id = $1 ORDER BY subject_id`,
      [incidentId],
    );
    return rows.map((row) => row.subject_id);
  }

  async function rowOf(incidentId: string) {
    const { rows } = await db.pool.query(
      `SELECT status, verification, confirmed_by, retraction_reason, merged_into, persons FROM read_incidents WHERE id = $1`,
      [incidentId],
    );
    return rows[0];
  }

  /** An incident naming `first`, then a later report naming `second` too, confirmed, then retracted. */
  async function correctedIncident(first: object, second: object): Promise<{ id: string; events: RecordedEvent[] }> {
    const id = randomUUID();
    const events = [
      await append(id, 'ArrestRecorded', recording([first])),
      await append(id, 'SubjectsAdded', { persons: [second], organizations: [] }),
      await append(id, 'IncidentConfirmed', { source: { name: 'Fictional Court Record' } }),
      await append(id, 'IncidentRetracted', { reason: 'A fictional mistake.' }),
    ];
    return { id, events };
  }

  it('writes the same row and subject rows whether the events come one per batch or all at once', async () => {
    const [a, b] = [person('Fictional Person'), person('Fictional Other')];
    const oneByOne = await correctedIncident(a, b);
    for (const event of oneByOne.events) await apply(event);
    const atOnce = await correctedIncident(a, b);
    await apply(...atOnce.events);

    const expected = [a.personId, b.personId, organization.organizationId].sort();
    expect(await subjectsOf(oneByOne.id)).toEqual(expected);
    expect(await subjectsOf(atOnce.id)).toEqual(expected);
    const row = await rowOf(oneByOne.id);
    expect(row).toMatchObject({
      status: 'retracted',
      confirmed_by: { name: 'Fictional Court Record' },
      retraction_reason: 'A fictional mistake.',
      merged_into: null,
    });
    expect(await rowOf(atOnce.id)).toEqual(row);
  });

  it('keeps the confirmation of the first source and none of a confirmation that came after the retraction', async () => {
    const confirmedFirst = randomUUID();
    await apply(await append(confirmedFirst, 'ArrestRecorded', recording([person('Fictional Person')])));
    await apply(await append(confirmedFirst, 'IncidentConfirmed', { source: { name: 'First Record' } }));
    await apply(await append(confirmedFirst, 'IncidentConfirmed', { source: { name: 'Second Record' } }));
    expect(await rowOf(confirmedFirst)).toMatchObject({ status: 'confirmed', confirmed_by: { name: 'First Record' } });

    const retractedFirst = randomUUID();
    await apply(await append(retractedFirst, 'ArrestRecorded', recording([person('Fictional Person')])));
    await apply(await append(retractedFirst, 'IncidentRetracted', { reason: 'A fictional mistake.' }));
    await apply(await append(retractedFirst, 'IncidentConfirmed', {}));
    expect(await rowOf(retractedFirst)).toMatchObject({
      confirmed_by: null,
      retraction_reason: 'A fictional mistake.',
    });
  });

  it('takes the subject rows of an incident merged into another away, and writes the others no more', async () => {
    const [merged, into] = [randomUUID(), randomUUID()];
    const a = person('Fictional Person');
    await apply(
      await append(merged, 'ArrestRecorded', recording([a])),
      await append(into, 'ArrestRecorded', recording([a])),
    );
    const before = await db.pool.query<{ ctid: string }>(
      `SELECT ctid::text FROM read_incident_subjects WHERE incident_id = $1 ORDER BY subject_id`,
      [into],
    );
    await apply(
      await append(merged, 'IncidentMerged', { into }),
      await append(into, 'IncidentAbsorbed', { from: merged, sources: [], persons: [], organizations: [] }),
    );
    expect(await subjectsOf(merged)).toEqual([]);
    expect(await rowOf(merged)).toMatchObject({ merged_into: into });
    // The incident it went into names the same subjects: their rows stay where they were, not written again.
    const after = await db.pool.query<{ ctid: string }>(
      `SELECT ctid::text FROM read_incident_subjects WHERE incident_id = $1 ORDER BY subject_id`,
      [into],
    );
    expect(after.rows).toEqual(before.rows);
    expect(after.rows).toHaveLength(2);
  });

  it('finds every row it reads or writes by an index', async () => {
    // Deleting the subject rows by incident read read_incident_subjects whole at every batch (docs/scaling.md).
    expect(await readWholeWithoutAnIndex(db.pool, INCIDENT_REFRESH_SQL)).toEqual([]);
  });
});
