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
 * A day whose year is unknown (`--06-11`, precision 'month-day') has no range. It sorts after every
 * dated incident: its `occurred_from`/`occurred_to` are PostgreSQL's `infinity` (after every date, and
 * inside no `from`/`to` filter that names a day: see YEAR_KNOWN_SQL), its rank is 0, so such days go
 * among themselves by report (their month and day tell nothing of which came first). Person status uses
 * another order (statusKey): a day without a year cannot be proven later than a dated fact, so it gives
 * the status only when no dated fact does (docs/architecture.md, "Dates").
 *
 * Tables ordered this way store `occurred_from` (SQL.occurredFrom), `precision_rank` (SQL.precisionRank)
 * and the event's `position`.
 */

/**
 * The rank of a date's precision, from the event's occurredOn: a year tells less than a month, a month
 * less than a day; 0 for a day without a year, which has no place among dated ranks.
 */
export const PRECISION_RANK_SQL = `CASE e.data->'occurredOn'->>'precision' WHEN 'year' THEN 1 WHEN 'month' THEN 2 WHEN 'month-day' THEN 0 ELSE 3 END`;

/** The first and last day of the event's occurredOn; `infinity` for a day without a year (it has neither). */
export const OCCURRED_FROM_SQL = `coalesce((e.data->'occurredOn'->>'from')::date, 'infinity')`;
export const OCCURRED_TO_SQL = `coalesce((e.data->'occurredOn'->>'to')::date, 'infinity')`;

/** Whether the row of `alias` has a year, so that its range can be compared with days. */
export const yearKnown = (alias: string): string => `${alias}.occurred_from <> 'infinity'`;

const KEY = ['occurred_from', 'precision_rank', 'position'] as const;

/** `ORDER BY` newest first, for the table aliased `alias`: later start, then more precise, then later report. */
export const newestOccurredFirst = (alias: string): string => KEY.map((column) => `${alias}.${column} DESC`).join(', ');

/** The order key as a row value of `alias`'s columns, to compare two rows in this order with < or >. */
export const occurredKey = (alias: string): string => `(${KEY.map((column) => `${alias}.${column}`).join(', ')})`;

/**
 * The order of a person's status facts, as a row value of three column expressions (from, rank, position):
 * a dated fact beats one without a year, whatever the days, then the order above.
 */
export const statusKey = (from: string, rank: string, position: string): string =>
  `(${rank} <> 0, ${from}, ${rank}, ${position})`;

/** `ORDER BY` latest status fact first, for the table aliased `alias` (statusKey). */
export const latestStatusFirst = (alias: string): string =>
  `${alias}.precision_rank <> 0 DESC, ${newestOccurredFirst(alias)}`;

/**
 * The earliest of a jsonb array of dates (occurredOn values), by the same key: a disputed date orders
 * its incident by the earliest value any source gave (docs/architecture.md, "Matching").
 */
export const earliestOccurredOn = (dates: string): string =>
  `(SELECT d FROM jsonb_array_elements(${dates}) AS d
     ORDER BY coalesce((d->>'from')::date, 'infinity'),
              CASE d->>'precision' WHEN 'year' THEN 1 WHEN 'month' THEN 2 WHEN 'month-day' THEN 0 ELSE 3 END
     LIMIT 1)`;
