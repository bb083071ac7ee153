import { DomainError } from '../domain.error';
import type { Subject } from '../incidents/incident.events';

/** An admin names, by id in the path or in `into`, a person or organisation that was never registered. */
export class SubjectNotFoundError extends DomainError {
  readonly code = 'subject_not_found';

  constructor(
    readonly subject: Subject,
    readonly id: string,
  ) {
    super(`no ${subject} has the id ${id}`);
  }
}

export class MergeIntoItselfError extends DomainError {
  readonly code = 'merge_into_itself';

  constructor(
    readonly subject: Subject,
    readonly id: string,
  ) {
    super(`a ${subject} cannot be merged into itself`);
  }
}

/** The subject is merged into another: it answers for nothing of its own until it is unmerged. */
export class SubjectMergedError extends DomainError {
  readonly code = 'subject_merged';

  constructor(
    readonly subject: Subject,
    readonly id: string,
    readonly into: string,
  ) {
    super(`${subject} ${id} is merged into ${into}`);
  }
}

export class SubjectNotMergedError extends DomainError {
  readonly code = 'subject_not_merged';

  constructor(
    readonly subject: Subject,
    readonly id: string,
  ) {
    super(`${subject} ${id} is not merged into another`);
  }
}

/** The name's key resolves to another subject: adding it would take that subject's reports away from it. */
export class NameKeyTakenError extends DomainError {
  readonly code = 'name_taken';

  constructor(
    readonly subject: Subject,
    readonly spelling: string,
    readonly ownerId: string,
  ) {
    super(`the name "${spelling}" already resolves to ${subject} ${ownerId}; merge the two instead`);
  }
}
