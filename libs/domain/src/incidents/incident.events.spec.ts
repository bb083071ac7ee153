import {
  EVENT_SCHEMA_VERSIONS,
  event,
  incidentStreamId,
  incidentTypeOf,
  organizationStreamId,
  personStreamId,
  type IncidentRecorded,
} from './incident.events';

describe(event.name, () => {
  it('stamps the current schema version of the type', () => {
    expect(event('IncidentRetracted', { incidentId: 'i', reason: 'r' })).toEqual({
      type: 'IncidentRetracted',
      version: EVENT_SCHEMA_VERSIONS.IncidentRetracted,
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
});

describe(incidentTypeOf.name, () => {
  it.each([
    ['ArrestRecorded', 'arrest'],
    ['ReleaseRecorded', 'release'],
    ['RulingRecorded', 'ruling'],
    ['ExecutionRecorded', 'execution'],
    ['HarassmentRecorded', 'harassment'],
  ] as const)('names %s as %s', (type, incidentType) => {
    expect(incidentTypeOf({ type } as IncidentRecorded)).toBe(incidentType);
  });
});
