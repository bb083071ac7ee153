import { DomainError } from '../domain.error';

/** The text is not a YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD date, or names a day that does not exist. */
export class InvalidPartialDateError extends DomainError {
  readonly code = 'invalid_partial_date';

  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`${JSON.stringify(text)} is not a valid date: ${reason}`);
  }
}
