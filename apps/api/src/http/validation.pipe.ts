import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';
import { findUnstorableText } from './unstorable-text';
import { flattenValidationErrors } from './validation-errors';

/**
 * No body or query of the API nests deeper than a few levels; class-transformer and class-validator recurse
 * once per level, so `[[[[…]]]]` a few thousand deep (64 KiB hold 32,000 levels) would overflow the stack: a 500.
 */
export const MAX_NESTING = 32;

/** Whether `value` nests deeper than `limit` arrays or objects; without recursion, so it cannot overflow itself. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length; depth++) {
    if (depth > limit) return true;
    level = level.flatMap((item) => (item && typeof item === 'object' ? Object.values(item) : []));
  }
  return false;
}

/** Refuses bodies nested too deep and text the database cannot store before the DTO rules run. */
class StorableValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_NESTING)) {
      throw new RequestValidationError([{ path: '(body)', message: `nests deeper than ${MAX_NESTING} levels` }]);
    }
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
