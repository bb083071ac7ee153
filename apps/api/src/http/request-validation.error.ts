import type { FieldError } from './validation-errors';

/** A request that breaks the contract's rules: answered 400 with every field that is wrong. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';

  constructor(readonly errors: FieldError[]) {
    super(errors.length === 1 ? `${errors[0].path}: ${errors[0].message}` : `${errors.length} fields are invalid`);
  }
}
