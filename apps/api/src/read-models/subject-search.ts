import { normaliseName } from '@vigil/domain';
import { RequestValidationError } from '../http/request-validation.error';

/**
 * Search goes through the same normalisation as intake (case, spacing, Persian letter forms), and
 * matches any name or alias by prefix of its key.
 */
export function searchPrefix(q: string): string {
  const key = normaliseName(q);
  if (!key) throw new RequestValidationError([{ path: 'q', message: 'has no letters or digits to search for' }]);
  return `${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
