import type { PartialDate } from '../dates/partial-date';
import { nameKey } from '../names/normalise-name';
import type { MergeIncident, ResolveConflict } from './conflict-commands';
import type { ConfirmIncident, IncidentCommand, RecordIncident, RetractIncident } from './incident.commands';
import {
  IncidentAlreadyRecordedError,
  IncidentAlreadyRetractedError,
  IncidentMergedError,
  IncidentNotFoundError,
  IncidentRetractedError,
  InvalidIncidentError,
  MergeOfDifferentTypesError,
  NoOpenConflictError,
  UnknownMergeTargetError,
} from './incident.errors';
import {
  event,
  incidentStreamId,
  type ConflictFlagged,
  type IncidentEvent,
  type IncidentRecorded,
  type IncidentRecordedData,
  type StreamEvent,
} from './incident.events';
import {
  ADMIN_REPORTER,
  evolveIncident,
  initialIncidentState,
  isOpenIncident,
  sourceAddedOf,
  type IncidentSourceEntry,
  type IncidentState,
} from './incident-state';
import { RECORDED_EVENT_TYPES } from './incident-types';
import { matchReport, type MatchCandidate, type MatchSubject } from './match-report';

export { evolveIncident, initialIncidentState, type IncidentState };

/**
 * The rules every report obeys, whichever stream is being decided (decideSubjects checks them too).
 * Throws InvalidIncidentError, or BlankNameError for a name with nothing to match on.
 */
export function assertReportInvariants(command: RecordIncident): void {
  const { incidentId, persons, organizations } = command;
  if (persons.length === 0 && organizations.length === 0) {
    throw new InvalidIncidentError(incidentId, 'a report must name at least one person or organisation');
  }
  const ids = [...persons.map((person) => person.personId), ...organizations.map((org) => org.organizationId)];
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) throw new InvalidIncidentError(incidentId, `${repeated} is named more than once`);
  for (const mention of [...persons, ...organizations]) mention.aliases.forEach(nameKey);
  if (command.type === 'ruling' && command.details.outcome === 'dissolution' && organizations.length === 0) {
    throw new InvalidIncidentError(incidentId, 'a dissolution ruling must name the organisation it dissolves');
  }
}

/** The event recording the report: the event type of its incident type, with its details. */
function recorded(command: RecordIncident, state: IncidentState, possibleDuplicates: string[] = []): IncidentRecorded {
  if (state.status !== 'unrecorded') throw new IncidentAlreadyRecordedError(command.incidentId);
  assertReportInvariants(command);
  const data: IncidentRecordedData<RecordIncident['details']> = {
    incidentId: command.incidentId,
    externalId: command.externalId,
    sourceId: command.reportedBy?.sourceId,
    reportedBy: command.reportedBy,
    occurredOn: command.occurredOn,
    persons: command.persons.map(({ personId, name }) => ({ personId, name, key: nameKey(name) })),
    organizations: command.organizations.map(({ organizationId, name }) => ({
      organizationId,
      name,
      key: nameKey(name),
    })),
    location: command.location,
    details: command.details,
    summary: command.summary,
    source: command.source,
    ...(possibleDuplicates.length ? { possibleDuplicates } : {}),
  };
  // The compiler cannot pair each type's event with its details through the table: they do go together.
  return event(RECORDED_EVENT_TYPES[command.type], data) as IncidentRecorded;
}

// Confirming twice appends nothing: the first confirmation stands, and an admin retrying the request
// must not alert every watcher a second time. A later source can be cited in a new report instead.
function confirm(command: ConfirmIncident, state: IncidentState): IncidentEvent[] {
  if (state.mergedInto !== undefined) throw new IncidentMergedError(command.incidentId, state.mergedInto);
  switch (state.status) {
    case 'unrecorded':
      throw new IncidentNotFoundError(command.incidentId);
    case 'retracted':
      throw new IncidentRetractedError(command.incidentId);
    case 'confirmed':
      return [];
    case 'recorded':
      return [event('IncidentConfirmed', { incidentId: command.incidentId, source: command.source })];
  }
}

// Retracting twice is an error rather than a no-op: each retraction carries its own reason and alerts
// watchers, so a second one is a mistake to report, not a retry to absorb.
function retract(command: RetractIncident, state: IncidentState): IncidentEvent[] {
  if (state.status === 'unrecorded') throw new IncidentNotFoundError(command.incidentId);
  if (state.status === 'retracted') throw new IncidentAlreadyRetractedError(command.incidentId);
  if (state.mergedInto !== undefined) throw new IncidentMergedError(command.incidentId, state.mergedInto);
  if (command.reason.trim() === '') throw new InvalidIncidentError(command.incidentId, 'a retraction needs a reason');
  return [event('IncidentRetracted', { incidentId: command.incidentId, reason: command.reason })];
}

/**
 * Decides the incident stream's events. A record command's persons and organisations streams are decided
 * by decideSubjects; the caller appends both results in one transaction.
 */
export function decideIncident(command: IncidentCommand, state: IncidentState): IncidentEvent[] {
  switch (command.kind) {
    case 'RecordIncident':
      return [recorded(command, state)];
    case 'ConfirmIncident':
      return confirm(command, state);
    case 'RetractIncident':
      return retract(command, state);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown incident command ${JSON.stringify(unexpected)}`);
    }
  }
}

// --- corroboration (docs/architecture.md, "Matching" and "Verification") -------------------------------

/** What became of a report: a new incident, a source added to one (maybe disputing its date), or nothing. */
export type ReportDecision =
  | { outcome: 'recorded'; incidentId: string; events: IncidentEvent[] }
  | { outcome: 'corroborated' | 'disputed'; incidentId: string; events: IncidentEvent[] }
  | { outcome: 'duplicate'; incidentId: string };

/** The report as the matching rule reads it. */
export function matchSubjectOfReport(command: RecordIncident): MatchSubject {
  return {
    type: command.type,
    occurredOn: [command.occurredOn],
    personIds: command.persons.map((p) => p.personId),
    organizationIds: command.organizations.map((o) => o.organizationId),
    details: command.details as unknown as Record<string, unknown>,
  };
}

/** An incident as the matching rule reads it: while its date is disputed, every value may match. */
export function matchCandidateOf(state: IncidentState): MatchCandidate {
  const dates = state.conflicts.find((c) => c.field === 'occurredOn')?.values.map((v) => v.value) ?? [];
  return {
    incidentId: state.incidentId!,
    open: isOpenIncident(state),
    type: state.type!,
    occurredOn: dates.length ? dates : [state.occurredOn!],
    personIds: state.persons.map((p) => p.personId),
    organizationIds: state.organizations.map((o) => o.organizationId),
    details: state.details,
  };
}

/**
 * The values of a date conflict, from what each source said: each day given, with its sources, the
 * incident's own first. Sources that gave a coarser date (a month) agree with every day and take no side.
 */
function dateValues(incidentDate: PartialDate, sources: IncidentSourceEntry[]): ConflictFlagged['data']['values'] {
  const values = new Map<string, { value: PartialDate; sources: string[] }>();
  if (incidentDate.precision === 'day') values.set(incidentDate.value, { value: incidentDate, sources: [] });
  for (const source of sources) {
    if (source.occurredOn.precision !== 'day') continue;
    const entry = values.get(source.occurredOn.value) ?? { value: source.occurredOn, sources: [] };
    if (!entry.sources.includes(source.sourceId)) entry.sources.push(source.sourceId);
    values.set(source.occurredOn.value, entry);
  }
  return [...values.values()].filter((v) => v.sources.length);
}

/**
 * Decides a report against the incidents it may be (read by the caller: same type, naming one of its
 * persons, or organisations when it names none). A new incident is recorded under `command.incidentId`;
 * a report of an incident already recorded adds its source to it, from another source, or is a duplicate,
 * from one already listed, and appends nothing. The persons and organisations the incident did not name
 * yet join it (SubjectsAdded); a date 1 to 3 days off flags a conflict (ConflictFlagged).
 */
export function decideReport(command: RecordIncident, candidates: readonly IncidentState[]): ReportDecision {
  assertReportInvariants(command);
  const match = matchReport(matchSubjectOfReport(command), candidates.map(matchCandidateOf));
  if (match.kind === 'new') {
    return {
      outcome: 'recorded',
      incidentId: command.incidentId,
      events: [recorded(command, initialIncidentState, match.possibleDuplicates)],
    };
  }
  const incident = candidates.find((c) => c.incidentId === match.incidentId)!;
  const incidentId = incident.incidentId!;
  const reporter = command.reportedBy ?? ADMIN_REPORTER;
  if (incident.sources.some((s) => s.sourceId === reporter.sourceId)) return { outcome: 'duplicate', incidentId };

  const events: IncidentEvent[] = [
    event('SourceAdded', {
      incidentId,
      reportedBy: reporter,
      externalId: command.externalId,
      source: command.source,
      occurredOn: command.occurredOn,
      summary: command.summary,
    }),
  ];
  const persons = command.persons
    .filter((p) => !incident.persons.some((known) => known.personId === p.personId))
    .map(({ personId, name }) => ({ personId, name, key: nameKey(name) }));
  const organizations = command.organizations
    .filter((o) => !incident.organizations.some((known) => known.organizationId === o.organizationId))
    .map(({ organizationId, name }) => ({ organizationId, name, key: nameKey(name) }));
  if (persons.length || organizations.length) {
    events.push(event('SubjectsAdded', { incidentId, persons, organizations }));
  }
  const open = incident.conflicts.some((c) => c.field === 'occurredOn');
  if (match.kind === 'date_conflict' || open) {
    const after = events.reduce(evolveIncident, incident);
    const values = dateValues(incident.occurredOn!, after.sources);
    const before = incident.conflicts.find((c) => c.field === 'occurredOn')?.values;
    if (values.length > 1 && JSON.stringify(values) !== JSON.stringify(before)) {
      events.push(event('ConflictFlagged', { incidentId, field: 'occurredOn' as const, values }));
    }
  }
  const disputed = events.reduce(evolveIncident, incident).conflicts.length > 0;
  return { outcome: disputed ? 'disputed' : 'corroborated', incidentId, events };
}

function assertChangeable(incidentId: string, state: IncidentState): void {
  if (state.status === 'unrecorded') throw new IncidentNotFoundError(incidentId);
  if (state.mergedInto !== undefined) throw new IncidentMergedError(incidentId, state.mergedInto);
  if (state.status === 'retracted') throw new IncidentRetractedError(incidentId);
}

/** The recording event of an incident split off `state` for the sources that gave `date`. */
function separated(
  state: IncidentState,
  incidentId: string,
  date: PartialDate,
  first: IncidentSourceEntry,
): IncidentRecorded {
  const partner = first.sourceId === ADMIN_REPORTER.sourceId ? undefined : first;
  const data: IncidentRecordedData<Record<string, unknown>> = {
    incidentId,
    externalId: first.externalId,
    sourceId: partner?.sourceId,
    reportedBy: partner && { sourceId: partner.sourceId, name: partner.name, kind: partner.kind },
    occurredOn: date,
    persons: state.persons,
    organizations: state.organizations,
    location: state.location,
    details: state.details,
    summary: first.summary,
    source: first.source,
  };
  return event(RECORDED_EVENT_TYPES[state.type!], data) as IncidentRecorded;
}

/**
 * Settles a conflict. With `value`, that value stands. With `separate`, the sources that disputed the
 * incident's date reported another event: they leave the incident (which goes back to what its own
 * sources say) and become an incident of their own, recorded as new (so watchers hear of it as new).
 */
export function decideResolve(command: ResolveConflict, state: IncidentState): StreamEvent<IncidentEvent>[] {
  const { incidentId, field, note } = command;
  assertChangeable(incidentId, state);
  const conflict = state.conflicts.find((c) => c.field === field);
  if (!conflict) throw new NoOpenConflictError(incidentId, field);
  const here = incidentStreamId(incidentId);
  if (command.value !== undefined) {
    return [{ streamId: here, event: event('ConflictResolved', { incidentId, field, value: command.value, note }) }];
  }
  if (command.separate === undefined) throw new InvalidIncidentError(incidentId, 'a resolve needs a value or separate');
  const { separatedAs } = command.separate;
  const disputing = conflict.values.filter((v) => v.value.value !== state.occurredOn!.value);
  const leaving = disputing.flatMap((v) => v.sources);
  const entries = leaving.map((id) => state.sources.find((s) => s.sourceId === id)!).filter(Boolean);
  if (!entries.length) throw new NoOpenConflictError(incidentId, field);
  const there = incidentStreamId(separatedAs);
  const [first, ...others] = entries;
  return [
    {
      streamId: here,
      event: event('ConflictResolved', { incidentId, field, separate: { sources: leaving, separatedAs }, note }),
    },
    { streamId: there, event: separated(state, separatedAs, disputing[0].value, first) },
    ...others.map((entry) => ({ streamId: there, event: event('SourceAdded', sourceAddedOf(separatedAs, entry)) })),
  ];
}

/**
 * Merges `from` into `into`: `from` says it is `into` from now on (IncidentMerged), `into` takes its
 * sources and subjects (IncidentAbsorbed). Merging again into the same incident appends nothing.
 */
export function decideMerge(
  command: MergeIncident,
  from: IncidentState,
  into: IncidentState,
): StreamEvent<IncidentEvent>[] {
  const { incidentId, note } = command;
  if (incidentId === command.into)
    throw new InvalidIncidentError(incidentId, 'an incident cannot be merged into itself');
  if (from.status === 'unrecorded') throw new IncidentNotFoundError(incidentId);
  if (from.mergedInto === command.into) return [];
  assertChangeable(incidentId, from);
  if (into.status === 'unrecorded') throw new UnknownMergeTargetError(command.into);
  assertChangeable(command.into, into);
  if (from.type !== into.type) throw new MergeOfDifferentTypesError(incidentId, command.into);
  return [
    {
      streamId: incidentStreamId(incidentId),
      event: event('IncidentMerged', { incidentId, into: command.into, note }),
    },
    {
      streamId: incidentStreamId(command.into),
      event: event('IncidentAbsorbed', {
        incidentId: command.into,
        from: incidentId,
        sources: from.sources.map((entry) => sourceAddedOf(command.into, entry)),
        persons: from.persons.filter((p) => !into.persons.some((known) => known.personId === p.personId)),
        organizations: from.organizations.filter(
          (o) => !into.organizations.some((known) => known.organizationId === o.organizationId),
        ),
      }),
    },
  ];
}
