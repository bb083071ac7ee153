import { randomUUID } from 'node:crypto';
import { ConsumerRunner } from '@vigil/consumers';
import { incidentStreamId, parsePartialDate, personStreamId } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import { createLogger, inTransaction } from '@vigil/platform';
import { waitUntilCaughtUp } from '../../../test/support/caught-up';
import { planNodes, readWholeWithoutAnIndex, type PlanNode } from '../../../test/support/generic-plan';
import { appendToStream } from '../../../test/support/stream-append';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { PERSON_STATUS_RULES_PARAM } from './incident-events';
import { PERSON_FACTS_REFRESH_SQL, PersonsProjection } from './persons.projection';

// An incident touched by later events has its persons' status facts written again from its fold
// (PERSON_FACTS_REFRESH_SQL): only the facts that change, and the status of only those facts' persons.

describe('the persons projection writing the facts of an incident again', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const source = { sourceId: randomUUID(), name: 'Fictional Monitor', kind: 'hr_ngo' };

  const append = (streamId: string, type: string, data: object) => appendToStream(db.pool, streamId, type, data);
  const toIncident = (incidentId: string, type: string, data: object) =>
    append(incidentStreamId(incidentId), type, { incidentId, ...data });

  const apply = (...events: RecordedEvent[]) =>
    inTransaction(db.pool, (tx) => new PersonsProjection().applyBatch(events, tx));

  type Person = { personId: string; name: string; key: string };

  const registration = (person: Person, incidentId: string) =>
    append(personStreamId(person.personId), 'PersonRegistered', { ...person, incidentId });

  /** An arrest of `person` on 2024-05-01 (their status: detained since then), as its recording event holds it. */
  const arrestData = (person: Person, incidentId: string) => ({
    incidentId,
    occurredOn: parsePartialDate('2024-05-01'),
    persons: [person],
    organizations: [],
    details: {},
    reportedBy: source,
    source: { name: source.name, status: 'confirmed' },
  });
  const arrest = (person: Person, incidentId: string) =>
    append(incidentStreamId(incidentId), 'ArrestRecorded', arrestData(person, incidentId));

  /** A person the projection knows, with their arrest projected. */
  async function arrested(name: string): Promise<{ person: Person; incidentId: string }> {
    const person = { personId: randomUUID(), name, key: name.toLowerCase().replace(/ /g, '') };
    const incidentId = randomUUID();
    await apply(await registration(person, incidentId), await arrest(person, incidentId));
    return { person, incidentId };
  }

  /** Where the person's fact and row are stored, and the status: a row written again moves (a new version). */
  async function stored(personId: string) {
    const facts = await db.pool.query(
      `SELECT ctid::text, incident_id, status, occurred_from::text, retracted FROM read_person_status_facts
        WHERE person_id = $1 ORDER BY incident_id`,
      [personId],
    );
    const person = await db.pool.query(`SELECT ctid::text, status, status_since FROM read_persons WHERE id = $1`, [
      personId,
    ]);
    return { facts: facts.rows, person: person.rows[0] };
  }

  it('writes neither the fact nor the person again for a further source or a confirmation', async () => {
    const { person, incidentId } = await arrested('Fictional Person');
    const before = await stored(person.personId);
    expect(before.facts).toHaveLength(1);
    expect(before.person).toMatchObject({ status: 'detained' });

    await apply(
      await toIncident(incidentId, 'SourceAdded', {
        reportedBy: { sourceId: randomUUID(), name: 'Fictional Other Monitor', kind: 'hr_ngo' },
        source: { name: 'Fictional Other Monitor', status: 'confirmed' },
        occurredOn: parsePartialDate('2024-05-01'),
      }),
    );
    await apply(await toIncident(incidentId, 'IncidentConfirmed', { source: { name: 'Fictional Court Record' } }));
    expect(await stored(person.personId)).toEqual(before);
  });

  it("writes a fact a merge retracts, and that person's status, and adds the fact of a person added", async () => {
    const { person, incidentId } = await arrested('Fictional Merged Person');
    const added = { personId: randomUUID(), name: 'Fictional Added Person', key: 'fictionaladdedperson' };
    await apply(await registration(added, incidentId));
    await apply(await toIncident(incidentId, 'SubjectsAdded', { persons: [added], organizations: [] }));
    expect((await stored(added.personId)).facts).toEqual([
      expect.objectContaining({ incident_id: incidentId, status: 'detained', retracted: false }),
    ]);
    expect((await stored(added.personId)).person).toMatchObject({ status: 'detained' });
    const unchanged = await stored(person.personId);

    await apply(await toIncident(incidentId, 'IncidentMerged', { into: randomUUID() }));
    for (const personId of [person.personId, added.personId]) {
      const after = await stored(personId);
      expect(after.facts).toEqual([expect.objectContaining({ incident_id: incidentId, retracted: true })]);
      expect(after.person).toMatchObject({ status: 'unknown', status_since: null });
    }
    expect((await stored(person.personId)).facts[0].ctid).not.toBe(unchanged.facts[0].ctid);
  });

  it('moves the fact of an incident an unmerge gave back to the unmerged person when it is folded again', async () => {
    // Recorded while the merge stood, under the name the unmerged person took back: folded again (a later source)
    // before this projection reached the unmerge, its fact leaves the survivor for that person.
    const { person: survivor, incidentId: before } = await arrested('Fictional Survivor');
    const unmerged = { personId: randomUUID(), name: 'Fictional Unmerged', key: 'fictionalunmerged' };
    await apply(await registration(unmerged, before));
    const mergedAt = (await db.pool.query<{ at: string }>('SELECT max(position) AS at FROM events')).rows[0].at;
    const incidentId = randomUUID();
    await apply(await arrest({ ...survivor, key: unmerged.key }, incidentId));
    await append(personStreamId(unmerged.personId), 'SubjectUnmerged', {
      subject: 'person',
      id: unmerged.personId,
      from: survivor.personId,
      keys: [unmerged.key],
      mergedAt: Number(mergedAt),
    });
    await append(personStreamId(survivor.personId), 'SubjectReleased', {
      subject: 'person',
      id: survivor.personId,
      released: unmerged.personId,
      keys: [unmerged.key],
    });
    expect((await stored(survivor.personId)).facts.map((f) => f.incident_id)).toContain(incidentId);

    await apply(
      await toIncident(incidentId, 'SourceAdded', {
        reportedBy: { sourceId: randomUUID(), name: 'Fictional Other Monitor', kind: 'hr_ngo' },
        source: { name: 'Fictional Other Monitor', status: 'confirmed' },
        occurredOn: parsePartialDate('2024-05-01'),
      }),
    );
    expect((await stored(survivor.personId)).facts.map((f) => f.incident_id)).toEqual([before]);
    const taken = await stored(unmerged.personId);
    expect(taken.facts).toEqual([expect.objectContaining({ incident_id: incidentId, status: 'detained' })]);
    expect(taken.person).toMatchObject({ status: 'detained' });
  });

  it('writes the same facts and status whether the events come one per batch or all at once', async () => {
    const results = [];
    for (const batched of [false, true]) {
      const person = { personId: randomUUID(), name: 'Fictional Batched', key: 'fictionalbatched' };
      const incidentId = randomUUID();
      const events = [
        await registration(person, incidentId),
        await arrest(person, incidentId),
        await toIncident(incidentId, 'ConflictFlagged', {
          field: 'occurredOn',
          values: [
            { value: parsePartialDate('2024-05-01'), sources: [source.sourceId] },
            { value: parsePartialDate('2024-04-28'), sources: [randomUUID()] },
          ],
        }),
        await toIncident(incidentId, 'IncidentConfirmed', {}),
      ];
      if (batched) await apply(...events);
      else for (const event of events) await apply(event);
      const { facts, person: row } = await stored(person.personId);
      results.push({
        facts: facts.map(({ ctid: _, incident_id: __, ...fact }) => fact),
        status: row.status,
        since: row.status_since,
      });
    }
    // While the date is disputed, the fact's date is the earliest value reported.
    expect(results[0]).toEqual({
      facts: [{ status: 'detained', occurred_from: '2024-04-28', retracted: false }],
      status: 'detained',
      since: parsePartialDate('2024-04-28'),
    });
    expect(results[1]).toEqual(results[0]);
  });

  it('finds every row it reads or writes by an index', async () => {
    expect(await readWholeWithoutAnIndex(db.pool, PERSON_FACTS_REFRESH_SQL)).toEqual([]);
  });

  it('probes the facts of a batch of incidents by index once its runner has caught up, though the table then grows tenfold', async () => {
    // A database of its own: the runner projects its whole log, and no other case's events.
    const own = await createTestDatabase();
    const runner = new ConsumerRunner(own.pool, new PersonsProjection(), {
      databaseUrl: own.url,
      logger: createLogger('test', 'silent'),
      batchSize: 40,
      pollIntervalMs: 50,
      lockIntervalMs: 100,
    });
    const facts = (count: number, from: number) =>
      own.pool.query(
        `INSERT INTO read_person_status_facts (person_id, incident_id, status, occurred_on, occurred_from, occurred_to,
                                               precision_rank, position)
         SELECT gen_random_uuid(), gen_random_uuid(), 'detained', '{}', '2024-05-01', '2024-05-01', 3, $2 + g
           FROM generate_series(1, $1::int) g`,
        [count, from],
      );
    try {
      // Nothing but the runner may analyse the table (the shared test server may run autovacuum).
      await own.pool.query(`ALTER TABLE read_person_status_facts SET (autovacuum_enabled = false)`);
      for (let i = 0; i < 200; i++) {
        const person = { personId: randomUUID(), name: `Fictional Person ${i}`, key: `fictionalperson${i}` };
        const incidentId = randomUUID();
        await appendToStream(own.pool, incidentStreamId(incidentId), 'ArrestRecorded', arrestData(person, incidentId));
      }
      // Facts of earlier reports, more than the 128 pages below which the runner leaves a table to the planner.
      await facts(20_000, 0);
      await runner.start();
      await waitUntilCaughtUp(own.pool, 'persons');
      await runner.stop();
      // Ten times the facts again, as years of reports would bring, with nothing analysing them since.
      await facts(200_000, 1_000_000);
      const { rows: ids } = await own.pool.query<{ id: string }>(
        `SELECT incident_id AS id FROM read_person_status_facts ORDER BY position DESC LIMIT 50`,
      );
      // As a batch sends it: planned for these 50 incidents (an unnamed statement), on the table as it is.
      const { rows } = await own.pool.query(`EXPLAIN (FORMAT JSON) ${PERSON_FACTS_REFRESH_SQL}`, [
        '[]',
        PERSON_STATUS_RULES_PARAM,
        ids.map((row) => row.id),
      ]);
      const reads = planNodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode)
        .filter((node) => node['Relation Name'] === 'read_person_status_facts')
        .map((node) => node['Node Type']);
      expect(reads).toContain('Bitmap Heap Scan');
      expect(reads).not.toContain('Seq Scan');
    } finally {
      await runner.stop();
      await own.drop();
    }
  });
});
