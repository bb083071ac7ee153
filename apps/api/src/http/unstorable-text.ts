import type { FieldError } from './validation-errors';

/**
 * Strings PostgreSQL cannot store in text or jsonb: NUL, and lone UTF-16 surrogates (valid in a JSON
 * escape, not in UTF-8). Found anywhere in a body, they are a 400 naming the path, never a database error.
 */
export function findUnstorableText(value: unknown, path = ''): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed()
      ? [{ path: path || '(body)', message: 'contains a NUL character or a lone surrogate' }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findUnstorableText(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const keyErrors = findUnstorableText(key, path);
      return [...keyErrors, ...findUnstorableText(item, path ? `${path}.${key}` : key)];
    });
  }
  return [];
}
