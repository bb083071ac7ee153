import { DomainError } from '../domain.error';
import type { Subject } from './incident.events';

export class IncidentAlreadyRecordedError extends DomainError {
  readonly code = 'incident_already_recorded';

  constructor(readonly incidentId: string) {
    super(`incident ${incidentId} is already recorded`);
  }
}

export class IncidentNotFoundError extends DomainError {
  readonly code = 'incident_not_found';

  constructor(readonly incidentId: string) {
    super(`incident ${incidentId} does not exist`);
  }
}

/** A retracted incident stays retracted: confirming it would alert watchers about something withdrawn. */
export class IncidentRetractedError extends DomainError {
  readonly code = 'incident_retracted';

  constructor(readonly incidentId: string) {
    super(`incident ${incidentId} was retracted`);
  }
}

export class IncidentAlreadyRetractedError extends DomainError {
  readonly code = 'incident_already_retracted';

  constructor(readonly incidentId: string) {
    super(`incident ${incidentId} is already retracted`);
  }
}

/** A command that breaks a rule of the incident itself (no one named, a retraction without reason …). */
export class InvalidIncidentError extends DomainError {
  readonly code = 'invalid_incident';

  constructor(
    readonly incidentId: string,
    reason: string,
  ) {
    super(`incident ${incidentId}: ${reason}`);
  }
}

/** A report refers by id to a person or organisation that was never registered. */
export class UnknownSubjectError extends DomainError {
  readonly code = 'unknown_subject';

  constructor(
    readonly subject: Subject,
    readonly id: string,
  ) {
    super(`${subject} ${id} does not exist`);
  }
}

/** A report asks to register a person or organisation whose id is already taken. */
export class SubjectAlreadyRegisteredError extends DomainError {
  readonly code = 'subject_already_registered';

  constructor(
    readonly subject: Subject,
    readonly id: string,
  ) {
    super(`${subject} ${id} is already registered`);
  }
}

/** A resolve names a field no open conflict is about: there is nothing to settle. */
export class NoOpenConflictError extends DomainError {
  readonly code = 'no_open_conflict';

  constructor(
    readonly incidentId: string,
    readonly field: string,
  ) {
    super(`incident ${incidentId} has no open conflict on ${field}`);
  }
}

/** A merged-away incident takes no more changes: its survivor does. */
export class IncidentMergedError extends DomainError {
  readonly code = 'incident_merged';

  constructor(
    readonly incidentId: string,
    readonly into: string,
  ) {
    super(`incident ${incidentId} was merged into ${into}`);
  }
}

/** A merge names, as the incident to merge into, one that does not exist. */
export class UnknownMergeTargetError extends DomainError {
  readonly code = 'unknown_merge_target';

  constructor(readonly into: string) {
    super(`no incident ${into} to merge into`);
  }
}

/** Only incidents of one type are one event: an arrest does not merge into an execution. */
export class MergeOfDifferentTypesError extends DomainError {
  readonly code = 'merge_of_different_types';

  constructor(
    readonly incidentId: string,
    readonly into: string,
  ) {
    super(`incident ${incidentId} and incident ${into} are not of the same type`);
  }
}
