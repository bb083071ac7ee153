import type { PartialDate } from '../dates/partial-date';
import type {
  ArrestDetails,
  ExecutionDetails,
  HarassmentDetails,
  IncidentSource,
  IncidentType,
  ReleaseDetails,
  RulingDetails,
} from './incident.commands';

/**
 * The schema version of each event type, stored with every event so that a later shape can be upcast
 * when read. Bump a number when the data of that type changes shape, and keep reading the old one.
 */
export const EVENT_SCHEMA_VERSIONS = {
  ArrestRecorded: 1,
  ReleaseRecorded: 1,
  RulingRecorded: 1,
  ExecutionRecorded: 1,
  HarassmentRecorded: 1,
  IncidentConfirmed: 1,
  IncidentRetracted: 1,
  PersonRegistered: 1,
  OrganizationRegistered: 1,
  AliasAdded: 1,
  MembershipRecorded: 1,
  OrganizationDissolved: 1,
} as const;

export type EventType = keyof typeof EVENT_SCHEMA_VERSIONS;

/** Plain data, as stored; `version` is the schema version, not the position in the stream. */
export interface Event<Type extends EventType, Data> {
  type: Type;
  version: (typeof EVENT_SCHEMA_VERSIONS)[Type];
  data: Data;
}

/** Builds an event with the current schema version of its type. */
export function event<Type extends EventType, Data>(type: Type, data: Data): Event<Type, Data> {
  return { type, version: EVENT_SCHEMA_VERSIONS[type], data };
}

export const incidentStreamId = (incidentId: string): string => `incident-${incidentId}`;
export const personStreamId = (personId: string): string => `person-${personId}`;
export const organizationStreamId = (organizationId: string): string => `organization-${organizationId}`;

// Names travel as given (to show) with their normalised key (to match): the name index and the alert
// router match on keys without normalising again. No subscriber data ever goes into an event: the log
// cannot be erased, an address must be.

// --- incident stream ---------------------------------------------------------------------------------

export interface IncidentRecordedData<Details> {
  incidentId: string;
  externalId?: string;
  sourceId?: string;
  occurredOn: PartialDate;
  persons: { personId: string; name: string; key: string }[];
  organizations: { organizationId: string; name: string; key: string }[];
  location?: string;
  details: Details;
  summary?: string;
  source: IncidentSource;
}

export type ArrestRecorded = Event<'ArrestRecorded', IncidentRecordedData<ArrestDetails>>;
export type ReleaseRecorded = Event<'ReleaseRecorded', IncidentRecordedData<ReleaseDetails>>;
export type RulingRecorded = Event<'RulingRecorded', IncidentRecordedData<RulingDetails>>;
export type ExecutionRecorded = Event<'ExecutionRecorded', IncidentRecordedData<ExecutionDetails>>;
export type HarassmentRecorded = Event<'HarassmentRecorded', IncidentRecordedData<HarassmentDetails>>;
export type IncidentConfirmed = Event<
  'IncidentConfirmed',
  { incidentId: string; source?: { name: string; url?: string } }
>;
export type IncidentRetracted = Event<'IncidentRetracted', { incidentId: string; reason: string }>;

export type IncidentRecorded =
  ArrestRecorded | ReleaseRecorded | RulingRecorded | ExecutionRecorded | HarassmentRecorded;
export type IncidentEvent = IncidentRecorded | IncidentConfirmed | IncidentRetracted;

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
  { subject: S; id: string; alias: string; key: string; incidentId: string }
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

export type PersonEvent = PersonRegistered | AliasAdded<'person'> | MembershipRecorded;
export type OrganizationEvent = OrganizationRegistered | AliasAdded<'organization'> | OrganizationDissolved;

export type DomainEvent = IncidentEvent | PersonEvent | OrganizationEvent;

/** An event and the stream it goes to, for deciders that write to several streams in one append. */
export interface StreamEvent<E extends DomainEvent = DomainEvent> {
  streamId: string;
  event: E;
}

/** The report type ('arrest' …) of a recorded incident, as the public API names it. */
export function incidentTypeOf(event: IncidentRecorded): IncidentType {
  switch (event.type) {
    case 'ArrestRecorded':
      return 'arrest';
    case 'ReleaseRecorded':
      return 'release';
    case 'RulingRecorded':
      return 'ruling';
    case 'ExecutionRecorded':
      return 'execution';
    case 'HarassmentRecorded':
      return 'harassment';
    default: {
      const unexpected: never = event;
      throw new Error(`unknown incident event ${JSON.stringify(unexpected)}`);
    }
  }
}
