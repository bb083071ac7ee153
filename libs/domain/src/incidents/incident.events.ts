import type { PartialDate } from '../dates/partial-date';
import type { ReportingSource } from '../sources/source-kinds';
import type { IncidentDetails, IncidentSource } from './incident.commands';
import {
  isRecordedEventType,
  RECORDED_SCHEMA_VERSIONS,
  type IncidentTypeName,
  type RecordedEventType,
} from './incident-types';

/**
 * The schema version of each event type, stored with every event so that a later shape can be upcast
 * when read. Bump a number when the data of that type changes shape, and keep reading the old one.
 */
export const EVENT_SCHEMA_VERSIONS = {
  ...RECORDED_SCHEMA_VERSIONS, // the table of incident types holds the recording events' versions
  IncidentConfirmed: 1,
  IncidentRetracted: 1,
  SourceAdded: 1,
  SubjectsAdded: 1,
  ConflictFlagged: 1,
  ConflictResolved: 1,
  IncidentMerged: 1,
  IncidentAbsorbed: 1,
  PersonRegistered: 1,
  OrganizationRegistered: 1,
  AliasAdded: 1,
  MembershipRecorded: 1,
  OrganizationDissolved: 1,
  CandidateDismissed: 1, // libs/domain/src/review/review.events.ts
  SubjectMerged: 1,
  SubjectAbsorbed: 1,
  SubjectUnmerged: 1,
  SubjectReleased: 1,
} as const;

export type EventType = keyof typeof EVENT_SCHEMA_VERSIONS;

/** Plain data, as stored: `schemaVersion` is the version of the type's shape, not the place in the stream. */
export interface Event<Type extends EventType, Data> {
  type: Type;
  schemaVersion: (typeof EVENT_SCHEMA_VERSIONS)[Type];
  data: Data;
}

/** Builds an event with the current schema version of its type. */
export function event<Type extends EventType, Data>(type: Type, data: Data): Event<Type, Data> {
  return { type, schemaVersion: EVENT_SCHEMA_VERSIONS[type], data };
}

/**
 * A stream id is the prefix of its kind of stream followed by the id of what it is about. SQL that
 * must name a stream it found by itself receives these prefixes as a parameter (see ReportLookups).
 */
export const STREAM_ID_PREFIXES = { incident: 'incident-', person: 'person-', organization: 'organization-' } as const;

export const incidentStreamId = (incidentId: string): string => STREAM_ID_PREFIXES.incident + incidentId;
export const personStreamId = (personId: string): string => STREAM_ID_PREFIXES.person + personId;
export const organizationStreamId = (organizationId: string): string =>
  STREAM_ID_PREFIXES.organization + organizationId;
/** The stream of a person or an organisation. */
export const subjectStreamId = (subject: Subject, id: string): string => STREAM_ID_PREFIXES[subject] + id;

// Names travel as given (to show) with their normalised key (to match): the name index and the alert
// router match on keys without normalising again. No subscriber data ever goes into an event: the log
// cannot be erased, an address must be.

// --- incident stream ---------------------------------------------------------------------------------

export interface IncidentRecordedData<Details> {
  incidentId: string;
  externalId?: string;
  /** The registered source whose signed report this is; absent for an admin's report. */
  sourceId?: string;
  /**
   * Since schema version 2, with `sourceId`: that source's name and kind when it reported. A version 1
   * event has none and is read as reported by an `hr_ngo` source (every source was one before kinds),
   * named as the sources table names it (sources are never renamed nor deleted): the SQL of that upcast
   * is REPORTED_BY_SQL in libs/projections/src/incident-events.ts.
   */
  reportedBy?: ReportingSource;
  occurredOn: PartialDate;
  persons: { personId: string; name: string; key: string }[];
  organizations: { organizationId: string; name: string; key: string }[];
  location?: string;
  details: Details;
  summary?: string;
  source: IncidentSource;
  /** Other unretracted incidents this report matched as well, left for an admin to merge (issue 13). */
  possibleDuplicates?: string[];
}

/** The event recording an incident of type T (ArrestRecorded for 'arrest' …), with T's details. */
export type IncidentRecordedAs<T extends IncidentTypeName> = Event<
  RecordedEventType<T>,
  IncidentRecordedData<IncidentDetails[T]>
>;
export type IncidentConfirmed = Event<
  'IncidentConfirmed',
  { incidentId: string; source?: { name: string; url?: string } }
>;
export type IncidentRetracted = Event<'IncidentRetracted', { incidentId: string; reason: string }>;

export type IncidentRecorded = { [T in IncidentTypeName]: IncidentRecordedAs<T> }[IncidentTypeName];

// --- corroboration (docs/architecture.md, "Verification") ----------------------------------------------
// A report that matches an existing incident does not record a second one: it adds its source (and the
// persons or organisations the incident did not name yet) to that incident. `sourceId` of what an admin
// entered is 'admin': one voice, however many admin reports.

/** The id under which an admin's own reports count as one source. */
export const ADMIN_SOURCE_ID = 'admin';

/** A further source reported an incident already recorded: as it said it, with the date it gave. */
export type SourceAdded = Event<
  'SourceAdded',
  {
    incidentId: string;
    reportedBy: ReportingSource | { sourceId: typeof ADMIN_SOURCE_ID; name: string; kind: 'hr_ngo' };
    externalId?: string;
    source: IncidentSource;
    occurredOn: PartialDate;
    summary?: string;
  }
>;

/** Persons or organisations a later report named that the incident did not. */
export type SubjectsAdded = Event<
  'SubjectsAdded',
  {
    incidentId: string;
    persons: { personId: string; name: string; key: string }[];
    organizations: { organizationId: string; name: string; key: string }[];
  }
>;

/** The fields a conflict can be about. */
export type ConflictField = 'occurredOn';

/** Sources disagree on a fact: each value with the sources that gave it. The incident is `disputed` until resolved. */
export type ConflictFlagged = Event<
  'ConflictFlagged',
  { incidentId: string; field: ConflictField; values: { value: PartialDate; sources: string[] }[] }
>;

/**
 * An admin settled a conflict: either one value stands (`value`), or the disputing report was another
 * event (`separate`): its sources leave this incident and `separatedAs` is the incident recorded for it.
 */
export type ConflictResolved = Event<
  'ConflictResolved',
  {
    incidentId: string;
    field: ConflictField;
    value?: PartialDate;
    separate?: { sources: string[]; separatedAs: string };
    note?: string;
  }
>;

/** On the merged-away incident's stream: from now on it is `into`. */
export type IncidentMerged = Event<'IncidentMerged', { incidentId: string; into: string; note?: string }>;

/** On the surviving incident's stream: what the merged one brings (its sources and subjects). */
export type IncidentAbsorbed = Event<
  'IncidentAbsorbed',
  {
    incidentId: string;
    from: string;
    /** `reportedAt`: when that source's report reached the merged incident (so the survivor lists it as it was). */
    sources: (SourceAdded['data'] & { reportedAt?: string })[];
    persons: { personId: string; name: string; key: string }[];
    organizations: { organizationId: string; name: string; key: string }[];
  }
>;

export type IncidentEvent =
  | IncidentRecorded
  | IncidentConfirmed
  | IncidentRetracted
  | SourceAdded
  | SubjectsAdded
  | ConflictFlagged
  | ConflictResolved
  | IncidentMerged
  | IncidentAbsorbed;

// --- person and organisation streams -------------------------------------------------------------------
// `incidentId` on these is the report that taught us the fact, so a retraction can be traced to them.

export type Subject = 'person' | 'organization';

export type PersonRegistered = Event<
  'PersonRegistered',
  { personId: string; name: string; key: string; incidentId: string }
>;
export type OrganizationRegistered = Event<
  'OrganizationRegistered',
  { organizationId: string; name: string; key: string; incidentId: string }
>;

/**
 * One event type for both kinds of subject, appended to the subject's own stream. `subject` makes it
 * self-describing in the global log, so the name index handles every alias with one handler, and the
 * type parameter keeps each stream's union exact (a person stream only holds AliasAdded<'person'>).
 */
export type AliasAdded<S extends Subject = Subject> = Event<
  'AliasAdded',
  /** `incidentId` is absent when an admin added the alias (POST …/aliases) rather than a report. */
  { subject: S; id: string; alias: string; key: string; incidentId?: string }
>;

/** On the person stream: memberships are reported per person, and a person's known ones decide what is new. */
export type MembershipRecorded = Event<
  'MembershipRecorded',
  { personId: string; organizationId: string; role?: string; incidentId: string }
>;

/** From a ruling with outcome 'dissolution'; carries the ruling so that its retraction can undo it. */
export type OrganizationDissolved = Event<
  'OrganizationDissolved',
  { organizationId: string; incidentId: string; occurredOn: PartialDate }
>;

// --- merges (docs/decisions/0018-a-merge-is-two-events-and-a-repointing-of-keys.md) ------------------------
// A merge is written on both streams, an unmerge too; like AliasAdded, one type serves both kinds of subject.
// `keys` are the name keys the merge moved (those that resolved to the merged one): the survivor knows them as
// its own spellings while the merge stands, and an unmerge gives exactly them back.

/** On the merged one's stream: from now on it is `into`. */
export type SubjectMerged<S extends Subject = Subject> = Event<
  'SubjectMerged',
  { subject: S; id: string; into: string; reason: string }
>;

/** On the survivor's stream: it now answers for `from`, and for `from`'s name keys. */
export type SubjectAbsorbed<S extends Subject = Subject> = Event<
  'SubjectAbsorbed',
  { subject: S; id: string; from: string; keys: string[]; reason: string }
>;

/**
 * On the once-merged one's stream: it stands alone again with its `keys`. `mergedAt` is the log position of
 * the SubjectMerged it undoes: an incident recorded after it that named one of `keys` was about this one.
 */
export type SubjectUnmerged<S extends Subject = Subject> = Event<
  'SubjectUnmerged',
  { subject: S; id: string; from: string; keys: string[]; mergedAt: number; reason?: string }
>;

/** On the survivor's stream: it no longer answers for `released` nor for its keys. */
export type SubjectReleased<S extends Subject = Subject> = Event<
  'SubjectReleased',
  { subject: S; id: string; released: string; keys: string[] }
>;

export type MergeEvent<S extends Subject = Subject> =
  SubjectMerged<S> | SubjectAbsorbed<S> | SubjectUnmerged<S> | SubjectReleased<S>;

/** The merge event types, for consumers that learn merges. */
export const MERGE_EVENT_TYPES = ['SubjectMerged', 'SubjectAbsorbed', 'SubjectUnmerged', 'SubjectReleased'] as const;

export type PersonEvent = PersonRegistered | AliasAdded<'person'> | MembershipRecorded | MergeEvent<'person'>;
export type OrganizationEvent =
  OrganizationRegistered | AliasAdded<'organization'> | OrganizationDissolved | MergeEvent<'organization'>;

export type DomainEvent = IncidentEvent | PersonEvent | OrganizationEvent;

/** An event and the stream it goes to, for deciders that write to several streams in one append. */
export interface StreamEvent<E extends DomainEvent = DomainEvent> {
  streamId: string;
  event: E;
}

/** Whether an event records an incident (ArrestRecorded …), whichever its type. */
export function isIncidentRecorded<E extends { type: string }>(
  candidate: E,
): candidate is Extract<E, IncidentRecorded> {
  return isRecordedEventType(candidate.type);
}
