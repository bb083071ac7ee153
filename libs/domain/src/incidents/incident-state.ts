import type { PartialDate } from '../dates/partial-date';
import type { SourceKind } from '../sources/source-kinds';
import { verificationOf, type Verification, type VerificationFacts } from '../verification/verification';
import type { IncidentSource } from './incident.commands';
import {
  ADMIN_SOURCE_ID,
  isIncidentRecorded,
  type ConflictField,
  type IncidentEvent,
  type IncidentRecorded,
  type SourceAdded,
} from './incident.events';
import { INCIDENT_TYPE_BY_EVENT, type IncidentTypeName } from './incident-types';

/** A source as the incident keeps it: who said it, and what it said of the facts that can be disputed. */
export interface IncidentSourceEntry {
  sourceId: string;
  name: string;
  kind: SourceKind;
  externalId?: string;
  source: IncidentSource;
  /** The date this source gave. */
  occurredOn: PartialDate;
  summary?: string;
  /** When its report arrived, where the caller knows it (the read models pass each event's time). */
  reportedAt?: string;
}

export interface PersonRef {
  personId: string;
  name: string;
  key: string;
}

export interface OrganizationRef {
  organizationId: string;
  name: string;
  key: string;
}

/** A conflict flagged and not resolved: each value with the sources that gave it. */
export interface OpenConflict {
  field: ConflictField;
  values: { value: PartialDate; sources: string[] }[];
}

/**
 * An incident as its events make it: what its rules decide on (status, sources, conflicts, merge) and
 * what the matching rule and the read models read (type, date, subjects, details). One fold, so the
 * intake's decisions and the read models cannot disagree on what an incident is.
 */
export interface IncidentState {
  status: 'unrecorded' | 'recorded' | 'confirmed' | 'retracted';
  incidentId?: string;
  type?: IncidentTypeName;
  /** The incident's date: the first report's, or the value an admin chose to settle a conflict. */
  occurredOn?: PartialDate;
  persons: PersonRef[];
  organizations: OrganizationRef[];
  details: Record<string, unknown>;
  location?: string;
  summary?: string;
  /** The first report's citation. */
  source?: IncidentSource;
  externalId?: string;
  /** Every source that reported it, the first first; one entry per source. */
  sources: IncidentSourceEntry[];
  conflicts: OpenConflict[];
  /** Incidents the first report matched as well, not merged into this one yet. */
  possibleDuplicates: string[];
  /** Set once it was merged into another incident: it is that one from then on. */
  mergedInto?: string;
}

export const initialIncidentState: IncidentState = {
  status: 'unrecorded',
  persons: [],
  organizations: [],
  details: {},
  sources: [],
  conflicts: [],
  possibleDuplicates: [],
};

/** The one voice of everything an admin entered: all admin reports count as one source. */
export const ADMIN_REPORTER = { sourceId: ADMIN_SOURCE_ID, name: 'admin', kind: 'hr_ngo' } as const;

/** The source of a recording event: its `reportedBy`, a schema version 1 event's `sourceId`, or the admin. */
function recordingSource(recorded: IncidentRecorded, reportedAt?: string): IncidentSourceEntry {
  const { data } = recorded;
  // A version 1 event names its source by id only: it was an hr_ngo (the one kind there was); its
  // registered name is the sources table's, which the read models read themselves (REPORTED_BY_SQL).
  const reporter =
    data.reportedBy ??
    (data.sourceId ? { sourceId: data.sourceId, name: data.source.name, kind: 'hr_ngo' as const } : ADMIN_REPORTER);
  return {
    sourceId: reporter.sourceId,
    name: reporter.name,
    kind: reporter.kind,
    externalId: data.externalId,
    source: data.source,
    occurredOn: data.occurredOn,
    summary: data.summary,
    reportedAt,
  };
}

/** A SourceAdded's data as a source entry. */
export function sourceEntryOf(
  added: SourceAdded['data'] & { reportedAt?: string },
  reportedAt?: string,
): IncidentSourceEntry {
  return {
    sourceId: added.reportedBy.sourceId,
    name: added.reportedBy.name,
    kind: added.reportedBy.kind,
    externalId: added.externalId,
    source: added.source,
    occurredOn: added.occurredOn,
    summary: added.summary,
    reportedAt: added.reportedAt ?? reportedAt,
  };
}

/** A source entry as the data of a SourceAdded for incident `incidentId` (merges carry sources this way). */
export function sourceAddedOf(
  incidentId: string,
  entry: IncidentSourceEntry,
): SourceAdded['data'] & { reportedAt?: string } {
  const reportedBy =
    entry.sourceId === ADMIN_SOURCE_ID
      ? ADMIN_REPORTER
      : { sourceId: entry.sourceId, name: entry.name, kind: entry.kind };
  return {
    incidentId,
    reportedBy,
    externalId: entry.externalId,
    source: entry.source,
    occurredOn: entry.occurredOn,
    summary: entry.summary,
    reportedAt: entry.reportedAt,
  };
}

function withSources(sources: IncidentSourceEntry[], added: IncidentSourceEntry[]): IncidentSourceEntry[] {
  const known = new Set(sources.map((s) => s.sourceId));
  return [...sources, ...added.filter((s) => !known.has(s.sourceId) && known.add(s.sourceId))];
}

function withPersons(persons: PersonRef[], added: PersonRef[]): PersonRef[] {
  return [...persons, ...added.filter((p) => !persons.some((known) => known.personId === p.personId))];
}

function withOrganizations(organizations: OrganizationRef[], added: OrganizationRef[]): OrganizationRef[] {
  return [
    ...organizations,
    ...added.filter((o) => !organizations.some((known) => known.organizationId === o.organizationId)),
  ];
}

/**
 * The incident after one more of its events. `reportedAt` (the event's arrival, optional) dates the
 * sources the event brings; the rules never read it.
 */
export function evolveIncidentAt(
  state: IncidentState,
  incidentEvent: IncidentEvent,
  reportedAt?: string,
): IncidentState {
  if (isIncidentRecorded(incidentEvent)) {
    const { data } = incidentEvent;
    return {
      ...state,
      status: 'recorded',
      incidentId: data.incidentId,
      type: INCIDENT_TYPE_BY_EVENT[incidentEvent.type],
      occurredOn: data.occurredOn,
      persons: data.persons,
      organizations: data.organizations,
      details: (data.details ?? {}) as Record<string, unknown>,
      location: data.location,
      summary: data.summary,
      source: data.source,
      externalId: data.externalId,
      sources: [recordingSource(incidentEvent, reportedAt)],
      possibleDuplicates: data.possibleDuplicates ?? [],
    };
  }
  switch (incidentEvent.type) {
    case 'IncidentConfirmed':
      return { ...state, status: 'confirmed' };
    case 'IncidentRetracted':
      return { ...state, status: 'retracted' };
    case 'SourceAdded':
      return { ...state, sources: withSources(state.sources, [sourceEntryOf(incidentEvent.data, reportedAt)]) };
    case 'SubjectsAdded':
      return {
        ...state,
        persons: withPersons(state.persons, incidentEvent.data.persons),
        organizations: withOrganizations(state.organizations, incidentEvent.data.organizations),
      };
    case 'ConflictFlagged': {
      // A conflict flagged again on a field replaces the open one: it lists every value known now.
      const { field, values } = incidentEvent.data;
      return { ...state, conflicts: [...state.conflicts.filter((c) => c.field !== field), { field, values }] };
    }
    case 'ConflictResolved': {
      const { field, value, separate } = incidentEvent.data;
      const leaving = new Set(separate?.sources ?? []);
      return {
        ...state,
        occurredOn: field === 'occurredOn' && value ? value : state.occurredOn,
        conflicts: state.conflicts.filter((c) => c.field !== field),
        sources: state.sources.filter((s) => !leaving.has(s.sourceId)),
      };
    }
    case 'IncidentMerged':
      return { ...state, mergedInto: incidentEvent.data.into };
    case 'IncidentAbsorbed': {
      const { from, sources, persons, organizations } = incidentEvent.data;
      return {
        ...state,
        sources: withSources(
          state.sources,
          sources.map((added) => sourceEntryOf(added, reportedAt)),
        ),
        persons: withPersons(state.persons, persons),
        organizations: withOrganizations(state.organizations, organizations),
        possibleDuplicates: state.possibleDuplicates.filter((id) => id !== from),
      };
    }
    default: {
      const unexpected: never = incidentEvent;
      throw new Error(`unknown incident event ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The incident after one more of its events (see evolveIncidentAt). */
export function evolveIncident(state: IncidentState, incidentEvent: IncidentEvent): IncidentState {
  return evolveIncidentAt(state, incidentEvent);
}

/** What the verification rule reads of an incident. */
export function verificationFactsOf(state: IncidentState): VerificationFacts {
  return {
    sources: state.sources.map(({ sourceId, kind }) => ({ sourceId, kind })),
    confirmed: state.status === 'confirmed',
    retracted: state.status === 'retracted',
    openConflicts: state.conflicts.length,
  };
}

/** The incident's `verification` (verificationOf, libs/domain/src/verification). */
export function incidentVerification(state: IncidentState): Verification {
  return verificationOf(verificationFactsOf(state));
}

/** Whether a report may still join the incident: recorded, not retracted, not merged away. */
export function isOpenIncident(state: IncidentState): boolean {
  return state.status !== 'unrecorded' && state.status !== 'retracted' && state.mergedInto === undefined;
}
