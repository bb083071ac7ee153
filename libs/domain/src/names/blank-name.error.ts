import { DomainError } from '../domain.error';

/** A name or alias with nothing left after normalisation could never be matched, so it is refused. */
export class BlankNameError extends DomainError {
  readonly code = 'blank_name';

  constructor(readonly text: string) {
    super(`the name ${JSON.stringify(text)} has no letters or digits to match on`);
  }
}
