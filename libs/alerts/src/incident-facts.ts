import {
  ADMIN_SOURCE_ID,
  DEFAULT_SOURCE_KIND,
  INCIDENT_TYPE_BY_EVENT,
  isRecordedEventType,
  type ConflictFlagged,
  type ConflictResolved,
  type IncidentAbsorbed,
  type IncidentMerged,
  type IncidentRecordedData,
  type IncidentRetracted,
  type IncidentSource,
  type IncidentTypeName,
  type PartialDate,
  type SourceAdded,
  type SourceKind,
  type SubjectsAdded,
} from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';

/** The incident events the alert router keeps facts from (the recording events aside). */
export const FACT_EVENTS = [
  'SourceAdded',
  'SubjectsAdded',
  'ConflictFlagged',
  'ConflictResolved',
  'IncidentConfirmed',
  'IncidentRetracted',
  'IncidentMerged',
  'IncidentAbsorbed',
] as const;

/** A source of the incident as the router keeps it: the verification rule's id and kind, and what a watcher is shown. */
export interface FactSource {
  sourceId: string;
  name: string;
  kind: SourceKind;
  url: string | null;
  /** ISO time the log recorded its report. */
  reportedAt: string;
}

export type FactPerson = { personId: string; name: string; key: string };
export type FactOrganization = { organizationId: string; name: string; key: string };

/**
 * What the alert router knows of one incident, evolved from its stream: enough to tell how established it
 * is (libs/domain, verification) and to write the incident into an alert. Stored as one document per
 * incident (alert_incidents), with the stream version applied last.
 */
export interface IncidentFacts {
  incidentId: string;
  /** The stream version applied last: an event at or below it was routed already. */
  version: number;
  type: IncidentTypeName;
  occurredOn: PartialDate;
  location: string | null;
  details: Record<string, unknown>;
  summary: string | null;
  /** The first report's own words on its source (name, url, status). */
  source: IncidentSource;
  /** ISO time the incident was recorded. */
  recordedAt: string;
  persons: FactPerson[];
  organizations: FactOrganization[];
  sources: FactSource[];
  confirmed: boolean;
  retracted: boolean;
  retractionReason: string | null;
  /** Conflicts flagged and not resolved yet, with the values each source gave. */
  conflicts: ConflictFlagged['data'][];
  mergedInto: string | null;
  /** Every incident merged into this one, however indirectly: their watchers got it already. */
  absorbed: string[];
}

/** What evolving needs beyond the event: names of sources a version 1 event does not carry, and other incidents' facts. */
export interface EvolveContext {
  /** The registered name of a source, for recording events of schema version 1 (which carry only its id). */
  sourceName(sourceId: string): string | undefined;
  /** Facts already known of another incident (the one a merge brings in). */
  factsOf(incidentId: string): IncidentFacts | undefined;
}

type RecordingData = IncidentRecordedData<Record<string, unknown>>;

/**
 * The source a recording event names. Version 2 carries it (`reportedBy`); version 1 only the source's id,
 * of a source that was an `hr_ngo` (the one kind there was), named as the sources table names it: the same
 * upcast the incidents projection makes in SQL (REPORTED_BY_SQL). An admin's report is the admin's voice,
 * under the name of the source the admin typed in.
 */
export function recordingSource(event: RecordedEvent, context: Pick<EvolveContext, 'sourceName'>): FactSource {
  const data = event.data as RecordingData;
  const reportedAt = new Date(event.recordedAt).toISOString();
  const url = data.source?.url ?? null;
  if (event.schemaVersion >= 2 && data.reportedBy) return { ...data.reportedBy, url, reportedAt };
  if (data.sourceId) {
    const name = context.sourceName(data.sourceId) ?? data.source.name;
    return { sourceId: data.sourceId, name, kind: DEFAULT_SOURCE_KIND, url, reportedAt };
  }
  return { sourceId: ADMIN_SOURCE_ID, name: data.source.name, kind: DEFAULT_SOURCE_KIND, url, reportedAt };
}

const addedSource = (data: SourceAdded['data'], reportedAt: string): FactSource => ({
  sourceId: data.reportedBy.sourceId,
  name: data.reportedBy.name,
  kind: data.reportedBy.kind,
  url: data.source?.url ?? null,
  reportedAt,
});

const withSources = (sources: FactSource[], added: FactSource[]): FactSource[] => {
  const known = new Set(sources.map((source) => source.sourceId));
  return [...sources, ...added.filter((source) => !known.has(source.sourceId) && known.add(source.sourceId))];
};

const withPersons = (persons: FactPerson[], added: FactPerson[]): FactPerson[] => {
  const known = new Set(persons.map((p) => p.personId));
  return [...persons, ...added.filter((p) => !known.has(p.personId) && known.add(p.personId))];
};

const withOrganizations = (organizations: FactOrganization[], added: FactOrganization[]): FactOrganization[] => {
  const known = new Set(organizations.map((o) => o.organizationId));
  return [...organizations, ...added.filter((o) => !known.has(o.organizationId) && known.add(o.organizationId))];
};

/**
 * The facts after one event of the incident's stream (`facts` undefined before its recording). Pure: the
 * same stream gives the same facts, whether routed live or read again from the log.
 */
export function evolveFacts(
  facts: IncidentFacts | undefined,
  event: RecordedEvent,
  context: EvolveContext,
): IncidentFacts | undefined {
  const at = new Date(event.recordedAt).toISOString();
  if (isRecordedEventType(event.type)) {
    if (facts) return { ...facts, version: event.streamVersion };
    const data = event.data as RecordingData;
    return {
      incidentId: data.incidentId,
      version: event.streamVersion,
      type: INCIDENT_TYPE_BY_EVENT[event.type],
      occurredOn: data.occurredOn,
      location: data.location ?? null,
      details: data.details ?? {},
      summary: data.summary ?? null,
      source: data.source,
      recordedAt: at,
      persons: data.persons,
      organizations: data.organizations,
      sources: [recordingSource(event, context)],
      confirmed: false,
      retracted: false,
      retractionReason: null,
      conflicts: [],
      mergedInto: null,
      absorbed: [],
    };
  }
  // An event of an incident whose recording the router never saw cannot be made sense of: left alone.
  if (!facts) return undefined;
  const next = { ...facts, version: event.streamVersion };
  switch (event.type) {
    case 'SourceAdded':
      return { ...next, sources: withSources(facts.sources, [addedSource(event.data as SourceAdded['data'], at)]) };
    case 'SubjectsAdded': {
      const data = event.data as SubjectsAdded['data'];
      return {
        ...next,
        persons: withPersons(facts.persons, data.persons),
        organizations: withOrganizations(facts.organizations, data.organizations),
      };
    }
    case 'ConflictFlagged': {
      const data = event.data as ConflictFlagged['data'];
      return { ...next, conflicts: [...facts.conflicts.filter((c) => c.field !== data.field), data] };
    }
    case 'ConflictResolved': {
      const data = event.data as ConflictResolved['data'];
      const leaving = new Set(data.separate?.sources ?? []);
      return {
        ...next,
        conflicts: facts.conflicts.filter((c) => c.field !== data.field),
        occurredOn: data.field === 'occurredOn' && data.value ? data.value : facts.occurredOn,
        sources: facts.sources.filter((source) => !leaving.has(source.sourceId)),
      };
    }
    case 'IncidentConfirmed':
      return { ...next, confirmed: true };
    case 'IncidentRetracted':
      return { ...next, retracted: true, retractionReason: (event.data as IncidentRetracted['data']).reason };
    case 'IncidentMerged':
      return { ...next, mergedInto: (event.data as IncidentMerged['data']).into };
    case 'IncidentAbsorbed': {
      const data = event.data as IncidentAbsorbed['data'];
      const from = context.factsOf(data.from);
      return {
        ...next,
        // As the merged incident had them, with when each first reported it, if the router knew it.
        sources: withSources(
          facts.sources,
          data.sources.map((source) => {
            const known = from?.sources.find((s) => s.sourceId === source.reportedBy.sourceId);
            return addedSource(source, known?.reportedAt ?? at);
          }),
        ),
        persons: withPersons(facts.persons, data.persons),
        organizations: withOrganizations(facts.organizations, data.organizations),
        absorbed: [...new Set([...facts.absorbed, data.from, ...(from?.absorbed ?? [])])],
      };
    }
    default:
      return next;
  }
}
