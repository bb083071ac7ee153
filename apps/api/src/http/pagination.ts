import { RequestValidationError } from './request-validation.error';

/** Cursors are opaque to clients: base64url JSON that only the server reads. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(
  cursor: string,
  isValid: (value: unknown) => value is T,
): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the same answer as a well-formed but foreign cursor
  }
  throw new RequestValidationError([{ path: 'cursor', message: 'is not a cursor this API handed out' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor of (creation time, id), for lists ordered by when their rows were made. */
export const isTimeCursor = (value: unknown): value is { c: string; i: string } => {
  const cursor = value as { c?: unknown; i?: unknown } | null;
  return (
    typeof cursor === 'object' &&
    cursor !== null &&
    typeof cursor.c === 'string' &&
    !Number.isNaN(Date.parse(cursor.c)) &&
    typeof cursor.i === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cursor.i)
  );
};
