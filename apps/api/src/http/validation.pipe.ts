import { ValidationPipe } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';
import { flattenValidationErrors } from './validation-errors';

/** Unknown fields are rejected (CONTRACT.md, "Errors"), and every failure names its path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
