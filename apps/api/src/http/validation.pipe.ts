import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';
import { findUnstorableText } from './unstorable-text';
import { flattenValidationErrors } from './validation-errors';

/** Refuses text the database cannot store before the DTO rules run. */
class StorableValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const unstorable = findUnstorableText(value);
    if (unstorable.length) throw new RequestValidationError(unstorable);
    return super.transform(value, metadata);
  }
}

/** Unknown fields are rejected (docs/api.md, "Errors"), and every failure names its path. */
export function createValidationPipe(): ValidationPipe {
  return new StorableValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
