/**
 * The order of incidents by when they happened: the one home of that rule. It lives in SQL because
 * every place that needs it sorts rows where they are (the admin incident lists and their keyset
 * cursor, a person's latest status); no TypeScript code sorts partial dates.
 *
 * The rule: dates whose ranges do not overlap go by time; when they overlap, the more precise one is
 * the later news (an arrest in "2020-09" and a release on "2020-09-07": the release is the latest; a
 * year-only "2020" tells less than "2020-06-21"). It is computed as the key (start, precision), then
 * the later report. Within one calendar ranges either nest or do not overlap, so that key gives exactly
 * the rule. Across calendars the rule taken literally is not an order (Jalali year 1399, from 2020-03-20,
 * < March 2020, finer and overlapping, < 2020-03-10, finer and overlapping, < 1399, no overlap and
 * earlier): the key orders that partial overlap by start. The end needs no place in the key: a start
 * and a precision name one range (a Gregorian month starts on the 1st, a Jalali one never does; a
 * Gregorian year on 1 January, a Jalali one in March).
 *
 * Tables ordered this way store `occurred_from` (SQL.occurredFrom), `precision_rank` (SQL.precisionRank)
 * and the event's `position`.
 */

/** The rank of a date's precision, from the event's occurredOn: a year tells less than a month, a month less than a day. */
export const PRECISION_RANK_SQL = `CASE e.data->'occurredOn'->>'precision' WHEN 'year' THEN 1 WHEN 'month' THEN 2 ELSE 3 END`;

const KEY = ['occurred_from', 'precision_rank', 'position'] as const;

/** `ORDER BY` newest first, for the table aliased `alias`: later start, then more precise, then later report. */
export const newestOccurredFirst = (alias: string): string => KEY.map((column) => `${alias}.${column} DESC`).join(', ');

/** The order key as a row value of `alias`'s columns, to compare two rows in this order with < or >. */
export const occurredKey = (alias: string): string => `(${KEY.map((column) => `${alias}.${column}`).join(', ')})`;
