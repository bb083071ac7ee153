/**
 * One page of a list read by keyset ("rows after the last one seen", never OFFSET): the items, and the
 * sort key of the last one when more follow. The key holds every column the list is ordered by, at the
 * database's precision, so the next page starts exactly after that row whatever rows share its values.
 */
export interface KeysetPage<Item, Key> {
  items: Item[];
  next: Key | null;
}

/**
 * Lists ordered by when their rows were made, then by id. `createdAtUs` is `created_at` in microseconds
 * since the epoch, read in SQL as `(extract(epoch FROM created_at) * 1000000)::bigint` and compared as
 * `timestamptz 'epoch' + $n * interval '1 microsecond'`: a JavaScript Date keeps milliseconds, and a key
 * rounded to them repeats or skips the rows made within the same millisecond.
 */
export interface CreationKey {
  createdAtUs: number;
  id: string;
}

/** The page of `rows`, read as `limit + 1` rows in list order: the extra row only says that more follow. */
export function keysetPage<Row, Item, Key>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => Key,
  itemOf: (row: Row) => Item,
): KeysetPage<Item, Key> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(itemOf), next: rows.length > limit && last !== undefined ? keyOf(last) : null };
}
