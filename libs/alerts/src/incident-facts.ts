import {
  ADMIN_SOURCE_ID,
  evolveIncidentAt,
  initialIncidentState,
  isRecordedEventType,
  type IncidentEvent,
  type IncidentRetracted,
  type IncidentState,
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

/**
 * What the alert router knows of one incident: the domain's own fold of its stream (`evolveIncidentAt`,
 * the one rule of what an incident is), and what routing needs besides. Stored as one document per
 * incident (alert_incidents), with the stream version applied last.
 */
export interface IncidentFacts {
  incidentId: string;
  /** The stream version applied last: an event at or below it was routed already. */
  version: number;
  /** ISO time the incident was recorded. */
  recordedAt: string;
  confirmed: boolean;
  retractionReason: string | null;
  /** Every incident merged into this one, however indirectly: their watchers got it already. */
  absorbed: string[];
  state: IncidentState;
}

/** What evolving needs beyond the event: names of sources a version 1 event does not carry, and other incidents' facts. */
export interface EvolveContext {
  /** The registered name of a source, for recording events of schema version 1 (which carry only its id). */
  sourceName(sourceId: string): string | undefined;
  /** Facts already known of another incident (the one a merge brings in). */
  factsOf(incidentId: string): IncidentFacts | undefined;
}

/**
 * The facts after one event of the incident's stream (`facts` undefined before its recording). Pure: the
 * same stream gives the same facts, whether routed live or read again from the log. An event of an
 * incident whose recording the router never saw cannot be made sense of: it gives undefined.
 */
export function evolveFacts(
  facts: IncidentFacts | undefined,
  event: RecordedEvent,
  context: EvolveContext,
): IncidentFacts | undefined {
  const at = new Date(event.recordedAt).toISOString();
  if (isRecordedEventType(event.type)) {
    if (facts) return { ...facts, version: event.streamVersion };
    const state = evolveIncidentAt(initialIncidentState, event as unknown as IncidentEvent, at);
    return {
      incidentId: state.incidentId!,
      version: event.streamVersion,
      recordedAt: at,
      confirmed: false,
      retractionReason: null,
      absorbed: [],
      state: { ...state, sources: state.sources.map((source) => registeredName(source, event, context)) },
    };
  }
  if (!facts) return undefined;
  const next: IncidentFacts = {
    ...facts,
    version: event.streamVersion,
    state: evolveIncidentAt(facts.state, event as unknown as IncidentEvent, at),
  };
  switch (event.type) {
    case 'IncidentConfirmed':
      return { ...next, confirmed: true };
    case 'IncidentRetracted':
      return { ...next, retractionReason: (event.data as IncidentRetracted['data']).reason };
    case 'IncidentAbsorbed': {
      const from = (event.data as { from: string }).from;
      return { ...next, absorbed: [...new Set([...facts.absorbed, from, ...(context.factsOf(from)?.absorbed ?? [])])] };
    }
    default:
      return next;
  }
}

/**
 * A version 1 recording names its source by id only (the domain then uses the report's own citation): the
 * router shows the name the sources table gives it, as the read models do (REPORTED_BY_SQL).
 */
function registeredName(
  source: IncidentState['sources'][number],
  event: RecordedEvent,
  context: EvolveContext,
): IncidentState['sources'][number] {
  if (event.schemaVersion >= 2 || source.sourceId === ADMIN_SOURCE_ID) return source;
  return { ...source, name: context.sourceName(source.sourceId) ?? source.name };
}
