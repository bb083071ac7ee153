import { parsePartialDate } from '../dates/partial-date';
import type { ReportingSource } from '../sources/source-kinds';
import { decideMerge, decideReport, decideResolve, evolveIncident, initialIncidentState } from './decide-incident';
import type { RecordIncident } from './incident.commands';
import {
  IncidentMergedError,
  IncidentNotFoundError,
  IncidentRetractedError,
  InvalidIncidentError,
  MergeOfDifferentTypesError,
  NoOpenConflictError,
  UnknownMergeTargetError,
} from './incident.errors';
import type { IncidentEvent } from './incident.events';
import { incidentVerification, type IncidentState } from './incident-state';

const RAHIMI = '11111111-1111-4111-8111-111111111111';
const SHARMIN = '22222222-2222-4222-8222-222222222222';
const IHR: ReportingSource = { sourceId: 'ihr', name: 'Iran Human Rights', kind: 'hr_ngo' };
const HRANA: ReportingSource = { sourceId: 'hrana', name: 'HRANA', kind: 'hr_ngo' };
const TIP: ReportingSource = { sourceId: 'tip', name: 'Tip line', kind: 'anonymous' };
const COURT: ReportingSource = { sourceId: 'court', name: 'Judiciary', kind: 'official' };

const arrest = (
  incidentId: string,
  on: string,
  reportedBy: ReportingSource | undefined,
  persons = [RAHIMI],
): RecordIncident => ({
  kind: 'RecordIncident',
  type: 'arrest',
  incidentId,
  externalId: `${reportedBy?.sourceId ?? 'admin'}-${incidentId}`,
  reportedBy,
  occurredOn: parsePartialDate(on),
  persons: persons.map((personId) => ({
    personId,
    name: personId === RAHIMI ? 'Zahra Rahimi' : 'Sharmin Maymandinejad',
    isNew: false,
    aliases: [],
    memberOf: [],
  })),
  organizations: [],
  details: {},
  source: { name: reportedBy?.name ?? 'an admin', status: 'confirmed' },
});

/** The incident the events make. */
const stateOf = (events: IncidentEvent[]): IncidentState => events.reduce(evolveIncident, initialIncidentState);
/** Records `first`, then applies each later report to what is there: the incidents, by id. */
function given(...reports: RecordIncident[]): Map<string, IncidentEvent[]> {
  const streams = new Map<string, IncidentEvent[]>();
  for (const report of reports) {
    const decision = decideReport(report, [...streams.values()].map(stateOf));
    if (decision.outcome === 'duplicate') continue;
    streams.set(decision.incidentId, [...(streams.get(decision.incidentId) ?? []), ...decision.events]);
  }
  return streams;
}

describe('corroboration', () => {
  it('Given an arrest from one source, When another source reports it, Then it gains that source and is corroborated', () => {
    const streams = given(arrest('a', '2020-09-06', IHR));
    const decision = decideReport(
      arrest('b', '2020-09-06', HRANA, [RAHIMI, SHARMIN]),
      [...streams.values()].map(stateOf),
    );
    expect(decision.outcome).toBe('corroborated');
    expect(decision.incidentId).toBe('a');
    const events = 'events' in decision ? decision.events : [];
    expect(events.map((e) => e.type)).toEqual(['SourceAdded', 'SubjectsAdded']);
    const state = stateOf([...streams.get('a')!, ...events]);
    expect(incidentVerification(state)).toBe('corroborated');
    expect(state.persons.map((p) => p.personId)).toEqual([RAHIMI, SHARMIN]);
  });

  it('Given an arrest from one source, When the same source reports it under another id, Then it is a duplicate and nothing is decided', () => {
    const streams = given(arrest('a', '2020-09-06', IHR));
    expect(decideReport(arrest('b', '2020-09-06', IHR), [...streams.values()].map(stateOf))).toEqual({
      outcome: 'duplicate',
      incidentId: 'a',
    });
  });

  it('Given an admin report, When an admin reports it again, Then the admin is one source: a duplicate', () => {
    const streams = given(arrest('a', '2020-09-06', undefined));
    expect(decideReport(arrest('b', '2020-09-06', undefined), [...streams.values()].map(stateOf)).outcome).toBe(
      'duplicate',
    );
  });

  it('Given an arrest from a named source, When an anonymous source reports it, Then it joins but does not corroborate', () => {
    const streams = given(arrest('a', '2020-09-06', IHR), arrest('b', '2020-09-06', TIP));
    const state = stateOf(streams.get('a')!);
    expect(state.sources.map((s) => s.sourceId)).toEqual(['ihr', 'tip']);
    expect(incidentVerification(state)).toBe('reported');
  });

  it('Given Rahimi arrested on 6 September, When another source says 5 September, Then the date is disputed with both values', () => {
    const streams = given(arrest('a', '2020-09-06', IHR));
    const decision = decideReport(arrest('b', '2020-09-05', HRANA), [...streams.values()].map(stateOf));
    expect(decision.outcome).toBe('disputed');
    const state = stateOf([...streams.get('a')!, ...('events' in decision ? decision.events : [])]);
    expect(incidentVerification(state)).toBe('disputed');
    expect(state.conflicts).toEqual([
      {
        field: 'occurredOn',
        values: [
          { value: parsePartialDate('2020-09-06'), sources: ['ihr'] },
          { value: parsePartialDate('2020-09-05'), sources: ['hrana'] },
        ],
      },
    ]);
  });

  it('Given a disputed date, When a third source agrees with one value, Then it is listed under that value', () => {
    const streams = given(
      arrest('a', '2020-09-06', IHR),
      arrest('b', '2020-09-05', HRANA),
      arrest('c', '2020-09-05', COURT),
    );
    const state = stateOf(streams.get('a')!);
    expect(state.conflicts[0].values.map((v) => [v.value.value, v.sources])).toEqual([
      ['2020-09-06', ['ihr']],
      ['2020-09-05', ['hrana', 'court']],
    ]);
  });

  it('Given several incidents the report matches, When it arrives, Then a new incident lists them as possible duplicates', () => {
    const first = arrest('a', '2020-09-06', IHR);
    const second = { ...arrest('b', '2020-09', HRANA, [RAHIMI, SHARMIN]), incidentId: 'b' };
    const streams = new Map([
      ['a', decideReport(first, []) as { events: IncidentEvent[] }],
      ['b', decideReport(second, []) as { events: IncidentEvent[] }],
    ]);
    const decision = decideReport(
      arrest('c', '2020-09-06', COURT),
      [...streams.values()].map((d) => stateOf(d.events)),
    );
    expect(decision.outcome).toBe('recorded');
    expect(decision.incidentId).toBe('c');
    expect(stateOf('events' in decision ? decision.events : []).possibleDuplicates).toEqual(['a', 'b']);
  });
});

describe('resolving a conflict', () => {
  const disputed = () => given(arrest('a', '2020-09-06', IHR), arrest('b', '2020-09-05', HRANA)).get('a')!;

  it('Given a disputed date, When an admin settles a value, Then that date stands and the incident is corroborated again', () => {
    const events = disputed();
    const decided = decideResolve(
      { kind: 'ResolveConflict', incidentId: 'a', field: 'occurredOn', value: parsePartialDate('2020-09-05') },
      stateOf(events),
    );
    const state = stateOf([...events, ...decided.map((d) => d.event)]);
    expect(state.occurredOn!.value).toBe('2020-09-05');
    expect(incidentVerification(state)).toBe('corroborated');
  });

  it('Given a disputed date, When an admin separates them, Then the disputing source becomes a new incident and the first is back to its own sources', () => {
    const events = disputed();
    const decided = decideResolve(
      { kind: 'ResolveConflict', incidentId: 'a', field: 'occurredOn', separate: { separatedAs: 'c' } },
      stateOf(events),
    );
    expect(decided.map((d) => [d.streamId, d.event.type])).toEqual([
      ['incident-a', 'ConflictResolved'],
      ['incident-c', 'ArrestRecorded'],
    ]);
    const first = stateOf([...events, decided[0].event]);
    expect(first.sources.map((s) => s.sourceId)).toEqual(['ihr']);
    expect(incidentVerification(first)).toBe('reported');
    const second = stateOf([decided[1].event]);
    expect(second.occurredOn!.value).toBe('2020-09-05');
    expect(second.sources.map((s) => s.sourceId)).toEqual(['hrana']);
  });

  it('Given no open conflict, When an admin resolves, Then it is refused', () => {
    const events = given(arrest('a', '2020-09-06', IHR)).get('a')!;
    expect(() =>
      decideResolve(
        { kind: 'ResolveConflict', incidentId: 'a', field: 'occurredOn', value: parsePartialDate('2020-09-06') },
        stateOf(events),
      ),
    ).toThrow(NoOpenConflictError);
  });

  it('Given no incident, When an admin resolves, Then it is not found', () => {
    expect(() =>
      decideResolve(
        { kind: 'ResolveConflict', incidentId: 'a', field: 'occurredOn', separate: { separatedAs: 'c' } },
        initialIncidentState,
      ),
    ).toThrow(IncidentNotFoundError);
  });
});

describe('merging', () => {
  const two = () => {
    const a = (decideReport(arrest('a', '2020-09-06', IHR), []) as { events: IncidentEvent[] }).events;
    const b = (decideReport(arrest('b', '2020-09-06', HRANA, [SHARMIN, RAHIMI]), []) as { events: IncidentEvent[] })
      .events;
    return { a, b };
  };

  it('Given two incidents of one event, When one is merged into the other, Then the survivor has all sources and subjects', () => {
    const { a, b } = two();
    const decided = decideMerge({ kind: 'MergeIncident', incidentId: 'b', into: 'a' }, stateOf(b), stateOf(a));
    expect(decided.map((d) => [d.streamId, d.event.type])).toEqual([
      ['incident-b', 'IncidentMerged'],
      ['incident-a', 'IncidentAbsorbed'],
    ]);
    const survivor = stateOf([...a, decided[1].event]);
    expect(survivor.sources.map((s) => s.sourceId)).toEqual(['ihr', 'hrana']);
    expect(survivor.persons.map((p) => p.personId)).toEqual([RAHIMI, SHARMIN]);
    expect(incidentVerification(survivor)).toBe('corroborated');
    expect(stateOf([...b, decided[0].event]).mergedInto).toBe('a');
  });

  it('Given a merged incident, When it is merged into the same one again, Then nothing is decided', () => {
    const { a, b } = two();
    const merged = decideMerge({ kind: 'MergeIncident', incidentId: 'b', into: 'a' }, stateOf(b), stateOf(a));
    expect(
      decideMerge({ kind: 'MergeIncident', incidentId: 'b', into: 'a' }, stateOf([...b, merged[0].event]), stateOf(a)),
    ).toEqual([]);
  });

  it.each([
    ['into itself', 'a', 'a', InvalidIncidentError],
    ['into an unknown incident', 'b', 'nowhere', UnknownMergeTargetError],
    ['an unknown incident', 'nowhere', 'a', IncidentNotFoundError],
    ['into a retracted incident', 'b', 'retracted', IncidentRetractedError],
    ['into a merged-away incident', 'b', 'merged', IncidentMergedError],
    ['into another type', 'b', 'release', MergeOfDifferentTypesError],
  ])('Given two incidents, When merging %s, Then it is refused', (_name, from, into, error) => {
    const { a, b } = two();
    const states: Record<string, IncidentState> = {
      a: stateOf(a),
      b: stateOf(b),
      retracted: stateOf([
        ...a,
        { type: 'IncidentRetracted', schemaVersion: 1, data: { incidentId: 'a', reason: 'no' } },
      ]),
      merged: stateOf([...a, { type: 'IncidentMerged', schemaVersion: 1, data: { incidentId: 'a', into: 'b' } }]),
      release: { ...stateOf(a), type: 'release' },
    };
    const state = (id: string) => states[id] ?? initialIncidentState;
    expect(() => decideMerge({ kind: 'MergeIncident', incidentId: from, into }, state(from), state(into))).toThrow(
      error,
    );
  });
});
