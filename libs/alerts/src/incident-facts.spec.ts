import { parsePartialDate } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import { evolveFacts, type EvolveContext, type IncidentFacts } from './incident-facts';
import { incidentPayloadOf } from './incident-payload';

const INCIDENT = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const ihr = { sourceId: 'ihr', name: 'Iran Human Rights', kind: 'hr_ngo' as const };
const hengaw = { sourceId: 'hengaw', name: 'Hengaw', kind: 'hr_ngo' as const };
const tip = { sourceId: 'tip', name: 'A tip', kind: 'anonymous' as const };
const irna = { sourceId: 'irna', name: 'IRNA', kind: 'state_media' as const };
const rahimi = { personId: '00000000-0000-4000-8000-0000000000a1', name: 'Zahra Rahimi', key: 'zahra rahimi' };
const other = { personId: '00000000-0000-4000-8000-0000000000a2', name: 'Other Person', key: 'other person' };

let version = 0;
function event(type: string, data: object, extra: Partial<RecordedEvent> = {}): RecordedEvent {
  version++;
  return {
    position: 100 + version,
    streamId: `incident-${INCIDENT}`,
    streamVersion: version,
    type,
    schemaVersion: type === 'ArrestRecorded' ? 2 : 1,
    data,
    metadata: {},
    recordedAt: new Date(`2026-11-0${version}T10:00:00Z`),
    transactionId: String(version),
    ...extra,
  };
}

const recorded = (reportedBy: object | null = ihr, extra: Partial<RecordedEvent> = {}) =>
  event(
    'ArrestRecorded',
    {
      incidentId: INCIDENT,
      ...(reportedBy && { sourceId: (reportedBy as { sourceId: string }).sourceId, reportedBy }),
      occurredOn: parsePartialDate('2020-09-05'),
      persons: [rahimi],
      organizations: [],
      details: {},
      source: { name: 'Iran Human Rights', url: 'https://iranhr.net/', status: 'confirmed' },
    },
    extra,
  );
const sourceAdded = (reportedBy: object, occurredOn = '2020-09-05') =>
  event('SourceAdded', {
    incidentId: INCIDENT,
    reportedBy,
    source: { name: 'whatever they wrote', url: 'https://example.org/', status: 'confirmed' },
    occurredOn: parsePartialDate(occurredOn),
  });

const context = (known: IncidentFacts[] = [], names: Record<string, string> = {}): EvolveContext => ({
  sourceName: (id) => names[id],
  factsOf: (id) => known.find((facts) => facts.incidentId === id),
});

/** Given these events (in stream order), the facts after them. */
function given(events: RecordedEvent[], ctx = context()): IncidentFacts {
  let facts: IncidentFacts | undefined;
  for (const e of events) facts = evolveFacts(facts, e, ctx);
  return facts!;
}

beforeEach(() => {
  version = 0;
});

describe('the alert router’s facts of an incident', () => {
  it('start from the recording: one source, reported, the stream version applied', () => {
    const facts = given([recorded()]);
    expect(facts).toMatchObject({ version: 1, type: 'arrest', confirmed: false, retracted: false, absorbed: [] });
    expect(incidentPayloadOf(facts)).toMatchObject({
      id: INCIDENT,
      verification: 'reported',
      officiallyAcknowledged: false,
      sources: [
        {
          id: 'ihr',
          name: 'Iran Human Rights',
          kind: 'hr_ngo',
          url: 'https://iranhr.net/',
          reportedAt: '2026-11-01T10:00:00.000Z',
        },
      ],
      status: 'recorded',
      conflicts: [],
    });
  });

  it('count an admin’s report as the admin’s voice, named as the admin named the source', () => {
    const facts = given([recorded(null)]);
    expect(facts.sources).toEqual([expect.objectContaining({ sourceId: 'admin', name: 'Iran Human Rights' })]);
  });

  it('read a version 1 recording as an hr_ngo source named as the sources table names it', () => {
    const v1 = recorded(null, { schemaVersion: 1 });
    (v1.data as { sourceId?: string }).sourceId = 'ihr-id';
    const facts = given([v1], context([], { 'ihr-id': 'IHR (registered)' }));
    expect(facts.sources).toEqual([
      expect.objectContaining({ sourceId: 'ihr-id', name: 'IHR (registered)', kind: 'hr_ngo' }),
    ]);
  });

  it('become corroborated with a second independent source, not with an anonymous one', () => {
    expect(incidentPayloadOf(given([recorded(), sourceAdded(tip)])).verification).toBe('reported');
    const facts = given([recorded(), sourceAdded(hengaw)]);
    expect(incidentPayloadOf(facts).verification).toBe('corroborated');
    expect(facts.sources.map((s) => s.sourceId)).toEqual(['ihr', 'hengaw']);
  });

  it('say officially acknowledged once a state source reported it', () => {
    expect(incidentPayloadOf(given([recorded(), sourceAdded(irna)])).officiallyAcknowledged).toBe(true);
  });

  it('are disputed while a conflict is open, and take the resolved value after', () => {
    const flagged = () =>
      event('ConflictFlagged', {
        incidentId: INCIDENT,
        field: 'occurredOn',
        values: [
          { value: parsePartialDate('2020-09-05'), sources: ['ihr'] },
          { value: parsePartialDate('2020-09-06'), sources: ['hengaw'] },
        ],
      });
    const disputed = given([recorded(), sourceAdded(hengaw, '2020-09-06'), flagged()]);
    expect(incidentPayloadOf(disputed)).toMatchObject({
      verification: 'disputed',
      conflicts: [
        {
          field: 'occurredOn',
          values: [
            { value: '2020-09-05', sources: ['ihr'] },
            { value: '2020-09-06', sources: ['hengaw'] },
          ],
        },
      ],
    });
    version = 0;
    const resolved = given([
      recorded(),
      sourceAdded(hengaw, '2020-09-06'),
      flagged(),
      event('ConflictResolved', { incidentId: INCIDENT, field: 'occurredOn', value: parsePartialDate('2020-09-06') }),
    ]);
    expect(incidentPayloadOf(resolved)).toMatchObject({ verification: 'corroborated', occurredOn: '2020-09-06' });
  });

  it('lose the separated sources when a conflict is resolved as two events', () => {
    const facts = given([
      recorded(),
      sourceAdded(hengaw, '2020-09-07'),
      event('ConflictFlagged', { incidentId: INCIDENT, field: 'occurredOn', values: [] }),
      event('ConflictResolved', {
        incidentId: INCIDENT,
        field: 'occurredOn',
        separate: { sources: ['hengaw'], separatedAs: OTHER },
      }),
    ]);
    expect(incidentPayloadOf(facts)).toMatchObject({ verification: 'reported', occurredOn: '2020-09-05' });
  });

  it('are confirmed, then retracted with the reason', () => {
    const facts = given([
      recorded(),
      event('IncidentConfirmed', { incidentId: INCIDENT }),
      event('IncidentRetracted', { incidentId: INCIDENT, reason: 'wrong person' }),
    ]);
    expect(incidentPayloadOf(facts)).toMatchObject({
      verification: 'retracted',
      status: 'retracted',
      retractionReason: 'wrong person',
    });
  });

  it('gain the subjects a later report names, once each', () => {
    const facts = given([
      recorded(),
      event('SubjectsAdded', { incidentId: INCIDENT, persons: [other, rahimi], organizations: [] }),
    ]);
    expect(facts.persons.map((p) => p.name)).toEqual(['Zahra Rahimi', 'Other Person']);
  });

  it('take in a merged incident’s sources, subjects and the incidents merged into it before', () => {
    const merged = { ...given([recorded(hengaw)]), incidentId: OTHER, absorbed: ['earlier'] };
    version = 0;
    const facts = given(
      [
        recorded(),
        event('IncidentAbsorbed', {
          incidentId: INCIDENT,
          from: OTHER,
          sources: [{ incidentId: OTHER, reportedBy: hengaw, source: { name: 'Hengaw', status: 'confirmed' } }],
          persons: [other],
          organizations: [],
        }),
      ],
      context([merged]),
    );
    expect(facts.absorbed).toEqual([OTHER, 'earlier']);
    expect(facts.persons).toHaveLength(2);
    expect(incidentPayloadOf(facts).verification).toBe('corroborated');
    // The merged incident's source keeps the time it first reported.
    expect(facts.sources[1].reportedAt).toBe(merged.sources[0].reportedAt);
  });

  it('say where a merged-away incident went', () => {
    expect(given([recorded(), event('IncidentMerged', { incidentId: INCIDENT, into: OTHER })]).mergedInto).toBe(OTHER);
  });

  it('ignore an event of an incident whose recording was never seen', () => {
    expect(evolveFacts(undefined, sourceAdded(hengaw), context())).toBeUndefined();
  });
});
