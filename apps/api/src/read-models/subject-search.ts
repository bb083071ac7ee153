import { looseKey, normaliseName } from '@vigil/domain';
import { RequestValidationError } from '../http/request-validation.error';
import { groupIdsOf } from './subject-groups';

/** How a subject matched a search, best first: the rank is the first part of the search list's sort key. */
export const MATCHES = ['name', 'alias', 'word', 'similar'] as const;
export type Match = (typeof MATCHES)[number];

/** The prefix ranks, read from read_name_words; `similar` (3) is read from read_similar_keys. */
const PREFIX_RANKS = [0, 1, 2];
const SIMILAR = 3;

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
 * The loose key of `q` as a whole name (Persian letter forms folded, or a Latin transliteration key: see
 * libs/domain's similar-names), which finds the names it may be another spelling of; null when it has none.
 */
export function similarKey(q: string): string | null {
  return looseKey(q)?.key ?? null;
}

/**
 * Where a rank's read starts: after the cursor's key when the cursor is in that rank (and within the range),
 * else at the range's beginning, $2. This row bound, not only `key >= $2`, is where the index scan starts:
 * btree does not know which of two bounds on a key is the tighter one, and from '' it would read every key
 * below the prefix.
 */
const NO_ID = `'00000000-0000-0000-0000-000000000000'::uuid`;
const startOf = (rank: number) => {
  const inRank = `$3::smallint = ${rank} AND $4::text COLLATE "C" >= $2::text`;
  return `(CASE WHEN ${inRank} THEN $4::text ELSE $2::text END, CASE WHEN ${inRank} THEN $5::uuid ELSE ${NO_ID} END)`;
};

/**
 * Whether the subject `id` has a name, alias or word key in the range of $2 (a prefix row). OFFSET 0 keeps it
 * a probe per subject: pulled up into a join, the planner may read the whole key range of every subject.
 */
const hasPrefixRow = (subject: 'person' | 'organization', id: string, before = 'true') =>
  `EXISTS (SELECT FROM read_name_words b
            WHERE b.subject = '${subject}' AND b.subject_id = ${id}
              AND b.key >= $2::text AND b.key < $2::text || chr(1114111) AND ${before} OFFSET 0)`;

/**
 * A merge group is listed once, by the best hit of any of its members (a lower rank, then the smaller key,
 * then the smaller id): the hit `(rank, key)` of the member `id` is not that when another member of its group
 * (subject-groups.ts: two index probes, and none further for a subject in no group) has a better one. Inside
 * each rank's read, before its LIMIT, so that a page is never cut short and a group shown on one page never
 * comes back on another through another member's name.
 */
const bestOfItsGroup = (subject: 'person' | 'organization', id: string, better: (other: string) => string) =>
  `NOT EXISTS (SELECT FROM ${groupIdsOf(subject, id)} AS o(id) WHERE o.id <> ${id} AND ${better('o.id')})`;

/**
 * One rank's subjects whose keys start with $2, in `(key, subject_id)` order after the cursor ($3, $4, $5),
 * at most $1 of them: a range of read_name_words_by_rank read in its own order, so a page reads about $1 rows
 * however many subjects share the prefix. A subject is listed once, by its best matching row (a lower rank,
 * then the smaller key): the NOT EXISTS probes that subject's few rows in read_name_words_by_subject; and a
 * merge group once (bestOfItsGroup). The range, not LIKE, so that a generic plan probes the index too (the key
 * is COLLATE "C"; U+10FFFF is in no key, see normaliseName).
 */
const rankHits = (subject: 'person' | 'organization', rank: number, limit: string) => `(
  SELECT w.subject_id AS id, ${rank}::smallint AS rank, w.key AS name
    FROM read_name_words w
   WHERE w.subject = '${subject}' AND w.rank = ${rank}
     AND w.key < $2::text || chr(1114111)
     AND coalesce($3::smallint, 0) <= ${rank}
     AND (w.key, w.subject_id) > ${startOf(rank)}
     AND NOT EXISTS (
           SELECT FROM read_name_words b
            WHERE b.subject = '${subject}' AND b.subject_id = w.subject_id
              AND b.key >= $2::text AND b.key < $2::text || chr(1114111)
              AND (b.rank, b.key, b.from_alias) < (w.rank, w.key, w.from_alias))
     AND ${bestOfItsGroup(subject, 'w.subject_id', (other) =>
       hasPrefixRow(subject, other, `(b.rank, b.key, b.subject_id) < (w.rank, w.key, w.subject_id)`),
     )}
   ORDER BY w.key, w.subject_id
   LIMIT ${limit})`;

/**
 * Last, the subjects one of whose names or aliases has the loose key $6 as a whole (position -1 in
 * read_similar_keys, the similar-names projection), in subject order after the cursor, and none that a prefix
 * matched: `name` is the loose key, one for the whole rank, so the cursor's id is the keyset. A merge group
 * once: not when another member had a prefix hit, or a similar one with a smaller id.
 */
const similarHits = (subject: 'person' | 'organization', limit: string) => `(
  SELECT k.subject_id AS id, ${SIMILAR}::smallint AS rank, k.key AS name
    FROM read_similar_keys k
   WHERE k.subject = '${subject}' AND k.key = $6::text AND k.position = -1 AND k.long = false
     AND coalesce($3::smallint, 0) <= ${SIMILAR}
     AND k.subject_id > CASE WHEN $3::smallint = ${SIMILAR} THEN $5::uuid ELSE ${NO_ID} END
     AND NOT ${hasPrefixRow(subject, 'k.subject_id')}
     AND ${bestOfItsGroup(
       subject,
       'k.subject_id',
       (other) => `(${hasPrefixRow(subject, other)} OR (${other} < k.subject_id AND EXISTS (
             SELECT FROM read_similar_keys o2 WHERE o2.subject = '${subject}' AND o2.subject_id = ${other}
                AND o2.key = $6::text AND o2.position = -1 AND o2.long = false)))`,
     )}
   ORDER BY k.subject_id
   LIMIT ${limit})`;

/**
 * The first $1 subjects after the cursor whose name, alias or word keys start with $2, each with its best
 * rank and the key it matched by (`name`, the list's second sort field): each rank's first rows, merged. The
 * rank is read_name_words' stored `rank` column (0 name, 1 alias, 2 word: the index of MATCHES), then 3 for
 * similar. `subject` is the kind, a constant of the statement.
 *
 * The ranks are read in order, each only for what the ranks before it left of the page ($1 less the rows
 * they found): every row of a rank sorts before every row of the next, so the page is the same, and a
 * prefix whose names alone fill the page reads no words (a LIMIT of 0 reads nothing). Read for $1 rows each,
 * the word rank read a second page of rows and their probes for nothing (README, "Search").
 */
export const searchHits = (subject: 'person' | 'organization') => {
  const ranks = [
    ...PREFIX_RANKS.map((rank) => (limit: string) => rankHits(subject, rank, limit)),
    (limit: string) => similarHits(subject, limit),
  ];
  const found = (rank: number) =>
    Array.from({ length: rank }, (_, before) => ` - (SELECT count(*) FROM r${before})`).join('');
  return `
  SELECT h.id, h.rank, h.name
    FROM (WITH ${ranks.map((hits, rank) => `r${rank} AS MATERIALIZED ${hits(`$1${found(rank)}`)}`).join(',\n')}
          ${ranks.map((_, rank) => `SELECT * FROM r${rank}`).join(' UNION ALL ')}) h
   ORDER BY h.rank, h.name COLLATE "C", h.id
   LIMIT $1`;
};
