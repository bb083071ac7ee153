import { decodeCursor, encodeCursor } from '../../http/pagination';

/** Lists of persons and organisations go by name, then id; the cursor is the last row's pair. */
export interface NameCursor extends Record<string, unknown> {
  n: string;
  i: string;
}

const isNameCursor = (value: unknown): value is NameCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as NameCursor).n === 'string' &&
  typeof (value as NameCursor).i === 'string';

export const decodeNameCursor = (cursor: string | undefined): NameCursor | undefined =>
  cursor === undefined ? undefined : decodeCursor(cursor, isNameCursor);

export const encodeNameCursor = (row: { name: string; id: string }): string => encodeCursor({ n: row.name, i: row.id });
