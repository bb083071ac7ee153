// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Every item of an admin list, page after page: `path` is the first page (its query, `limit` included), then
 * `nextCursor` is followed to the last page (docs/api.md, "Lists"). A cursor that never ends the list fails
 * after `maxPages` rather than looping for ever.
 */
export async function walkPages(
  read: (path: string) => Promise<Json>,
  path: string,
  maxPages = 1_000,
): Promise<Json[]> {
  const items: Json[] = [];
  let page = await read(path);
  for (let pages = 1; ; pages++) {
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    if (pages >= maxPages) throw new Error(`${path} handed out more than ${maxPages} pages`);
    page = await read(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(page.nextCursor)}`);
  }
}
