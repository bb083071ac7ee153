import { randomUUID } from 'node:crypto';
import {
  incidentStreamId,
  matchIncident,
  parsePartialDate,
  subjectStreamId,
  type IncidentEvent,
  type PartialDate,
} from '@vigil/domain';
import { EventStore, type StreamAppend } from '@vigil/event-store';
import { createDataSource } from '@vigil/platform';
import { IndexIncidentMatchDates1764390000000 } from '../../../../libs/platform/src/migrations/1764390000000-IndexIncidentMatchDates';
import { IndexIncidentDatesByRow1764390100000 } from '../../../../libs/platform/src/migrations/1764390100000-IndexIncidentDatesByRow';
import { openIncidentMatchIndex } from '../../../../test/support/incident-match-index';
import type { TestDatabase } from '../../../../test/support/test-database';
import { IncidentMatchIndex } from './incident-match-index';

/**
 * The candidates a report is matched against are read by date (docs/decisions/0036-candidates-read-by-date.md):
 * incident_match_dates, written by a trigger from the incident events, and vigil_match_candidates' window.
 * The window may read more than the rule needs, never less: an incident left unread is an incident recorded twice
 * and its watchers alerted twice.
 */
describe('the candidate incidents read by date', () => {
  let db: TestDatabase;
  let store: EventStore;
  let index: IncidentMatchIndex;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, store, index, close } = await openIncidentMatchIndex()));
  afterAll(() => close());

  const recordedEvent = (incidentId: string, personId: string, occurredOn: PartialDate): IncidentEvent =>
    ({
      type: 'ArrestRecorded',
      schemaVersion: 2,
      data: {
        incidentId,
        occurredOn,
        persons: [{ personId, name: 'Narges Mohammadi', key: 'nargesmohammadi' }],
        organizations: [],
        details: {},
        source: { name: 'Iran Human Rights', status: 'confirmed' },
      },
    }) as IncidentEvent;

  /** Appends the incident's events and its match subject row, as the intake does. */
  async function recordIncident(personId: string, events: IncidentEvent[]): Promise<string> {
    const incidentId = (events[0].data as { incidentId: string }).incidentId;
    await store.transaction(async (tx) => {
      await tx.append([{ streamId: incidentStreamId(incidentId), expected: 'no_stream', events }]);
      await index.add(tx.client, IncidentMatchIndex.rowsOf('arrest', incidentId, [{ personId }], []));
    });
    return incidentId;
  }

  async function candidateIds(personId: string, occurredOn: PartialDate): Promise<string[]> {
    const read = await index.candidates(undefined, [], 'arrest', [{ subject: 'person', id: personId }], occurredOn);
    if ('replayed' in read) throw new Error('no idempotency key was given');
    return [...read.candidates.keys()];
  }

  it('reads every incident the matching rule may find a report to be, whatever the precision and calendar of either date', async () => {
    const dates = [
      ...['2020-06-21', '2020-06-18', '2020-06-24', '2020-06-17', '2020-06-25', '2019-06-21', '2021-06-21'],
      ...['2020-06-30', '2020-07-01', '2020-07-03', '2020-07-04', '2020-12-31', '2021-01-02', '2021-01-03'],
      ...['2020-06', '2020-07', '2020-05', '2020', '2019', '2021', '--06-21', '--06-22', '--07-01', '--02-29'],
      '2020-02-29',
    ].map((text) => parsePartialDate(text));
    dates.push(...['1399-04-01', '1399-04', '1399', '1399-10-11'].map((text) => parsePartialDate(text, 'jalali')));
    const personId = randomUUID();
    const incidents = new Map<string, PartialDate>();
    for (const date of dates)
      incidents.set(await recordIncident(personId, [recordedEvent(randomUUID(), personId, date)]), date);

    const missed: string[] = [];
    let read = 0;
    for (const reported of dates) {
      const found = new Set(await candidateIds(personId, reported));
      read += found.size;
      for (const [incidentId, date] of incidents) {
        const verdict = matchIncident(
          { type: 'arrest', occurredOn: [reported], personIds: [personId], organizationIds: [], details: {} },
          {
            incidentId,
            open: true,
            type: 'arrest',
            occurredOn: [date],
            personIds: [personId],
            organizationIds: [],
            details: {},
          },
        );
        if (verdict !== 'different' && !found.has(incidentId))
          missed.push(`${reported.value} → ${date.value}: ${verdict}`);
      }
    }
    expect(missed).toEqual([]);
    // And it reads less than every incident of the person: a day reads neither a day four days off nor the same
    // day of another year, nor another year.
    expect(read).toBeLessThan(dates.length * dates.length);
    const byValue = new Map([...incidents].map(([id, date]) => [date.value, id]));
    const dayReads = await candidateIds(personId, parsePartialDate('2020-06-21'));
    for (const apart of ['2020-06-25', '2020-06-17', '2019-06-21', '2021-06-21', '2019', '2020-07', '--06-22'])
      expect({ apart, read: dayReads.includes(byValue.get(apart)!) }).toEqual({ apart, read: false });
  });

  it('indexes each day of a date conflict and the date an admin settles it on, so a report of any of them finds the incident', async () => {
    const personId = randomUUID();
    const incidentId = randomUUID();
    const [first, second, settled] = ['2022-09-05', '2022-09-07', '2022-10-20'].map((text) => parsePartialDate(text));
    await recordIncident(personId, [
      recordedEvent(incidentId, personId, first),
      {
        type: 'ConflictFlagged',
        schemaVersion: 1,
        data: {
          incidentId,
          field: 'occurredOn',
          values: [
            { value: first, sources: ['a'] },
            { value: second, sources: ['b'] },
          ],
        },
      },
    ]);
    // A week after the second day: only the conflict's second value is near enough.
    expect(await candidateIds(personId, parsePartialDate('2022-09-10'))).toEqual([incidentId]);
    expect(await candidateIds(personId, settled)).toEqual([]);

    await store.append([
      {
        streamId: incidentStreamId(incidentId),
        expected: 2,
        events: [
          { type: 'ConflictResolved', schemaVersion: 1, data: { incidentId, field: 'occurredOn', value: settled } },
        ],
      },
    ]);
    expect(await candidateIds(personId, settled)).toEqual([incidentId]);
  });

  /** An organisation's membership, dated: its date is the organisation's, not the incident's. */
  const membership = (organizationId: string, incidentId: string): StreamAppend => ({
    streamId: subjectStreamId('organization', organizationId),
    expected: 'no_stream',
    events: [
      {
        type: 'MembershipRecorded',
        schemaVersion: 1,
        data: { organizationId, incidentId, occurredOn: parsePartialDate('2020-06-21') },
      },
    ],
  });

  it("indexes nothing of another stream's dates: a membership's date is the organisation's", async () => {
    const incidentId = randomUUID();
    await store.append([membership(randomUUID(), incidentId)]);
    const { rows } = await db.pool.query('SELECT 1 FROM incident_match_dates WHERE incident_id = $1', [incidentId]);
    expect(rows).toEqual([]);
  });

  it("calls the trigger's function for no event of another stream, and once for an incident's dated event", async () => {
    // Calls of the trigger's function (whichever it names) in the transaction of one append: one append a transaction.
    const callsAppending = (append: StreamAppend) =>
      store.transaction(async (tx) => {
        await tx.client.query(`SET LOCAL track_functions = 'pl'`);
        await tx.append([append]);
        const { rows } = await tx.client.query<{ calls: string }>(
          `SELECT coalesce(pg_stat_get_xact_function_calls(tgfoid), 0) AS calls
             FROM pg_trigger WHERE tgname = 'events_index_incident_dates'`,
        );
        return Number(rows[0].calls);
      });
    const incidentId = randomUUID();
    const recording: StreamAppend = {
      streamId: incidentStreamId(incidentId),
      expected: 'no_stream',
      events: [recordedEvent(incidentId, randomUUID(), parsePartialDate('2024-03-08'))],
    };
    expect([await callsAppending(membership(randomUUID(), randomUUID())), await callsAppending(recording)]).toEqual([
      0, 1,
    ]);
  });

  it('fills the index, when it is created, from the incidents recorded before it', async () => {
    const personId = randomUUID();
    const incidentId = await recordIncident(personId, [
      recordedEvent(randomUUID(), personId, parsePartialDate('2023-03-08')),
    ]);
    const snapshot = async () =>
      (
        await db.pool.query(
          `SELECT incident_id, value, date_from::text, date_to::text, month_day FROM incident_match_dates
            ORDER BY incident_id, value`,
        )
      ).rows;
    const before = await snapshot();
    expect(before).toContainEqual({
      incident_id: incidentId,
      value: '2023-03-08',
      date_from: '2023-03-08',
      date_to: '2023-03-08',
      month_day: '-03-08',
    });

    const dataSource = createDataSource(db.url, [], 1);
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      // The trigger's later form goes first and comes back last, as migrating down and up again would do.
      const [created, byRow] = [new IndexIncidentMatchDates1764390000000(), new IndexIncidentDatesByRow1764390100000()];
      await byRow.down(runner);
      await created.down(runner);
      await created.up(runner);
      await byRow.up(runner);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
    expect(await snapshot()).toEqual(before);
  });
});
