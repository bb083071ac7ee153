import { createHash } from 'node:crypto';

/**
 * A weak entity tag (RFC 9110, 8.8.3) naming a representation by what it was made from: the same parts give the
 * same tag. Weak, because equal parts promise an equal answer, not the same bytes. Hashed, so that the parts (log
 * positions, ids, a statement) are not read out of it.
 */
export function weakEntityTag(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `W/"${hash.digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether an `If-None-Match` header names `tag` (RFC 9110, 13.1.2): `*`, or a list of tags compared weakly (with or
 * without `W/`). An absent or empty header names nothing.
 */
export function ifNoneMatchNames(header: string | undefined, tag: string): boolean {
  if (!header?.trim()) return false;
  if (header.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((listed) => opaque(listed) === opaque(tag));
}
