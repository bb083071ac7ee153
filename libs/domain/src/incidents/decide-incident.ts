import { nameKey } from '../names/normalise-name';
import type { ConfirmIncident, IncidentCommand, RecordIncident, RetractIncident } from './incident.commands';
import {
  IncidentAlreadyRecordedError,
  IncidentAlreadyRetractedError,
  IncidentNotFoundError,
  IncidentRetractedError,
  InvalidIncidentError,
} from './incident.errors';
import {
  event,
  isIncidentRecorded,
  type IncidentEvent,
  type IncidentRecorded,
  type IncidentRecordedData,
} from './incident.events';
import { RECORDED_EVENT_TYPES } from './incident-types';

/** Only what the incident's own rules look at; everything shown to people lives in the read models. */
export interface IncidentState {
  status: 'unrecorded' | 'recorded' | 'confirmed' | 'retracted';
}

export const initialIncidentState: IncidentState = { status: 'unrecorded' };

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
function recorded(command: RecordIncident, state: IncidentState): IncidentRecorded {
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
  };
  // The compiler cannot pair each type's event with its details through the table: they do go together.
  return event(RECORDED_EVENT_TYPES[command.type], data) as IncidentRecorded;
}

// Confirming twice appends nothing: the first confirmation stands, and an admin retrying the request
// must not alert every watcher a second time. A later source can be cited in a new report instead.
function confirm(command: ConfirmIncident, state: IncidentState): IncidentEvent[] {
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

// The source's own `status` does not make the incident confirmed: that takes a ConfirmIncident, which
// is what alerts watchers with incident.confirmed.
export function evolveIncident(state: IncidentState, incidentEvent: IncidentEvent): IncidentState {
  if (isIncidentRecorded(incidentEvent)) return { status: 'recorded' };
  switch (incidentEvent.type) {
    case 'IncidentConfirmed':
      return { status: 'confirmed' };
    case 'IncidentRetracted':
      return { status: 'retracted' };
    // The corroboration events (issue 13) change no rule this state decides yet.
    case 'SourceAdded':
    case 'SubjectsAdded':
    case 'ConflictFlagged':
    case 'ConflictResolved':
    case 'IncidentMerged':
    case 'IncidentAbsorbed':
      return state;
    default: {
      const unexpected: never = incidentEvent;
      throw new Error(`unknown incident event ${JSON.stringify(unexpected)}`);
    }
  }
}
