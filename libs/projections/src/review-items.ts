/**
 * The id of a review item (`GET /v1/admin/review`) as SQL computes it from `text`, an SQL expression naming
 * the item (its kind and what it is about): the text's MD5 laid out as a version 3 (name-based) UUID. The
 * same after a rebuild, so a dismissal (CandidateDismissed, by id) still names it.
 */
export const reviewItemIdSql = (text: string): string =>
  `overlay(overlay(md5(${text}) PLACING '3' FROM 13) PLACING '8' FROM 17)::uuid`;
