import { normaliseName } from '@vigil/domain';
import { RequestValidationError } from '../http/request-validation.error';

/** How a subject matched a search, best first: the rank is the first part of the search list's sort key. */
export const MATCHES = ['name', 'alias', 'word'] as const;
export type Match = (typeof MATCHES)[number];

/**
 * Search goes through the same normalisation as intake (case, spacing, Persian letter forms): the key
 * of `q` is matched as the beginning of the whole key of a name (rank 0, "name") or of an alias (1,
 * "alias"), or of the key of any one word of either (2, "word"); see the name-words projection.
 */
export function searchKey(q: string): string {
  const key = normaliseName(q);
  if (!key) throw new RequestValidationError([{ path: 'q', message: 'has no letters or digits to search for' }]);
  return key;
}

/**
 * The subjects whose name, alias or word keys start with $2, each with its best rank: a range on the
 * primary key of read_name_words (its key is COLLATE "C"; U+10FFFF is in no key, see normaliseName), not
 * LIKE, so that a generic plan probes the index too. `subject` is the kind, a constant of the statement.
 */
export const searchHits = (subject: 'person' | 'organization') => `
  SELECT w.subject_id AS id,
         min(CASE WHEN NOT w.whole THEN 2 WHEN w.from_alias THEN 1 ELSE 0 END)::smallint AS rank
    FROM read_name_words w
   WHERE w.subject = '${subject}' AND w.key >= $2::text AND w.key < $2::text || chr(1114111)
   GROUP BY w.subject_id`;
