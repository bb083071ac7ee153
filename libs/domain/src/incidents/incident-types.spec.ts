import { EVENT_SCHEMA_VERSIONS } from './incident.events';
import {
  INCIDENT_TYPE_BY_EVENT,
  INCIDENT_TYPE_NAMES,
  INCIDENT_TYPES,
  isRecordedEventType,
  RECORDED_EVENT_TYPES,
} from './incident-types';

describe('the table of incident types', () => {
  it('names every type of the table, in its order', () => {
    expect(INCIDENT_TYPE_NAMES).toEqual(Object.keys(INCIDENT_TYPES));
    expect(INCIDENT_TYPE_NAMES).toEqual(['arrest', 'release', 'ruling', 'execution', 'harassment']);
  });

  it('gives every type its own recording event', () => {
    expect(Object.keys(RECORDED_EVENT_TYPES)).toEqual(INCIDENT_TYPE_NAMES);
    const events = Object.values(RECORDED_EVENT_TYPES);
    expect(new Set(events).size).toBe(INCIDENT_TYPE_NAMES.length);
  });

  it('maps each recording event back to its type and nothing else', () => {
    expect(Object.keys(INCIDENT_TYPE_BY_EVENT).sort()).toEqual(Object.values(RECORDED_EVENT_TYPES).sort());
    for (const type of INCIDENT_TYPE_NAMES) expect(INCIDENT_TYPE_BY_EVENT[RECORDED_EVENT_TYPES[type]]).toBe(type);
    for (const [eventType, type] of Object.entries(INCIDENT_TYPE_BY_EVENT)) {
      expect(RECORDED_EVENT_TYPES[type]).toBe(eventType);
    }
  });

  it('gives every recording event its schema version from the table', () => {
    for (const type of INCIDENT_TYPE_NAMES) {
      expect(EVENT_SCHEMA_VERSIONS[RECORDED_EVENT_TYPES[type]]).toBe(INCIDENT_TYPES[type].schemaVersion);
    }
  });

  it('knows a recording event type from any other string of the log', () => {
    expect(INCIDENT_TYPE_NAMES.every((type) => isRecordedEventType(RECORDED_EVENT_TYPES[type]))).toBe(true);
    for (const other of ['IncidentConfirmed', 'PersonRegistered', 'arrest', 'toString', 'constructor', '']) {
      expect(isRecordedEventType(other)).toBe(false);
    }
  });
});
