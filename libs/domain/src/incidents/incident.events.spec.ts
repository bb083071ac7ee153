import {
  EVENT_SCHEMA_VERSIONS,
  event,
  incidentStreamId,
  isIncidentRecorded,
  organizationStreamId,
  personStreamId,
  STREAM_ID_PREFIXES,
  subjectStreamId,
} from './incident.events';

describe(event.name, () => {
  it('stamps the current schema version of the type', () => {
    expect(event('IncidentRetracted', { incidentId: 'i', reason: 'r' })).toEqual({
      type: 'IncidentRetracted',
      schemaVersion: EVENT_SCHEMA_VERSIONS.IncidentRetracted,
      data: { incidentId: 'i', reason: 'r' },
    });
  });
});

describe('stream ids', () => {
  it('prefixes each id with the kind of its stream', () => {
    expect([incidentStreamId('a'), personStreamId('b'), organizationStreamId('c')]).toEqual([
      'incident-a',
      'person-b',
      'organization-c',
    ]);
  });

  it('names a subject stream as its kind of subject does', () => {
    expect([subjectStreamId('person', 'b'), subjectStreamId('organization', 'c')]).toEqual([
      personStreamId('b'),
      organizationStreamId('c'),
    ]);
  });

  it('builds every stream id from its prefix, as the SQL given the prefixes does', () => {
    expect(incidentStreamId('a')).toBe(`${STREAM_ID_PREFIXES.incident}a`);
    expect(subjectStreamId('person', 'b')).toBe(`${STREAM_ID_PREFIXES.person}b`);
    expect(subjectStreamId('organization', 'c')).toBe(`${STREAM_ID_PREFIXES.organization}c`);
  });
});

describe(isIncidentRecorded.name, () => {
  it('tells the events that record an incident from the corrections', () => {
    expect(isIncidentRecorded({ type: 'HarassmentRecorded' })).toBe(true);
    expect(isIncidentRecorded({ type: 'IncidentConfirmed' })).toBe(false);
    expect(isIncidentRecorded({ type: 'PersonRegistered' })).toBe(false);
  });
});
