/**
 * The incident types: the one table everything keyed by an incident type is derived from (the public
 * `type` of a report, the event that records it, its schema version, the status it gives the persons it
 * names). Adding a type is one row here, its details in IncidentDetails (incident.commands.ts), and the
 * rules of those details if any; the compiler then points at every Record<IncidentTypeName, …> at the
 * edges (the details DTO, the alert mail's words).
 */
export const INCIDENT_TYPES = {
  // Schema version 2: the recording event carries `reportedBy` (the reporting source's id, name and kind);
  // version 1 events are read as reported by an `hr_ngo` source (incident.events.ts, IncidentRecordedData).
  arrest: { recordedAs: 'ArrestRecorded', schemaVersion: 2, personStatus: { status: 'detained' } },
  release: { recordedAs: 'ReleaseRecorded', schemaVersion: 2, personStatus: { status: 'released' } },
  ruling: {
    recordedAs: 'RulingRecorded',
    schemaVersion: 2,
    // Only a sentence changes what a person is; an acquittal or a dissolution leaves their status as it was.
    personStatus: { status: 'sentenced', whenDetail: { field: 'outcome', equals: 'sentence' } },
  },
  execution: { recordedAs: 'ExecutionRecorded', schemaVersion: 2, personStatus: { status: 'executed' } },
  harassment: { recordedAs: 'HarassmentRecorded', schemaVersion: 2, personStatus: null },
} as const satisfies Record<string, IncidentTypeRow>;

/** A person's status as the read models show it: 'unknown' until an incident gives one. */
export type PersonStatus = 'unknown' | 'detained' | 'released' | 'sentenced' | 'executed';

interface IncidentTypeRow {
  /** The event type of the incident stream's first event. */
  recordedAs: string;
  /** The schema version of that event (see EVENT_SCHEMA_VERSIONS). */
  schemaVersion: number;
  /** The status an incident of this type gives every person it names; `whenDetail` narrows it to a detail. */
  personStatus: { status: PersonStatus; whenDetail?: { field: string; equals: string } } | null;
}

/** The public name of an incident type: a report's `type`, a subscription's `types`, an alert's `incident.type`. */
export type IncidentTypeName = keyof typeof INCIDENT_TYPES;

/** The event type that records an incident of type T. */
export type RecordedEventType<T extends IncidentTypeName = IncidentTypeName> = (typeof INCIDENT_TYPES)[T]['recordedAs'];

type Entries = { [T in IncidentTypeName]: [T, (typeof INCIDENT_TYPES)[T]] }[IncidentTypeName][];
const entries = Object.entries(INCIDENT_TYPES) as Entries;

/** Every incident type, in the table's order. */
export const INCIDENT_TYPE_NAMES: readonly IncidentTypeName[] = entries.map(([name]) => name);

/** The event type recording each incident type. */
export const RECORDED_EVENT_TYPES: { readonly [T in IncidentTypeName]: RecordedEventType<T> } = Object.fromEntries(
  entries.map(([name, row]) => [name, row.recordedAs]),
) as { [T in IncidentTypeName]: RecordedEventType<T> };

/** The incident type each recording event stands for: the inverse of RECORDED_EVENT_TYPES. */
export const INCIDENT_TYPE_BY_EVENT: Readonly<Record<RecordedEventType, IncidentTypeName>> = Object.fromEntries(
  entries.map(([name, row]) => [row.recordedAs, name]),
) as Record<RecordedEventType, IncidentTypeName>;

/** The schema versions of the recording events, for EVENT_SCHEMA_VERSIONS. */
export const RECORDED_SCHEMA_VERSIONS = Object.fromEntries(
  entries.map(([, row]) => [row.recordedAs, row.schemaVersion]),
) as { readonly [T in IncidentTypeName as RecordedEventType<T>]: (typeof INCIDENT_TYPES)[T]['schemaVersion'] };

/** Whether an event type (as read from the log, any string) is one that records an incident. */
export function isRecordedEventType(type: string): type is RecordedEventType {
  return Object.hasOwn(INCIDENT_TYPE_BY_EVENT, type);
}
