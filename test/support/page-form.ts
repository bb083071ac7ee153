/**
 * A page's form as a browser would send it, for specs that talk HTTP without a browser: the CSRF cookie the page
 * set and the hidden fields it rendered.
 */
export interface PageForm {
  cookie: string;
  csrf: string;
  /** The form's action, entities decoded. */
  action: string;
}

const decode = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** The CSRF cookie (from Set-Cookie, else the one sent) and the token and action of the page's `index`th form. */
export async function readPageForm(page: Response, sentCookie = '', index = 0): Promise<PageForm> {
  const html = await page.text();
  const set = page.headers.get('set-cookie');
  const cookie = set ? set.split(';')[0] : sentCookie;
  const forms = [...html.matchAll(/<form[^>]*action="([^"]*)"[\s\S]*?<\/form>/g)];
  const form = forms[index];
  if (!form) throw new Error(`no form ${index} on the page`);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(form[0])?.[1] ?? '';
  return { cookie, csrf, action: decode(form[1]) };
}

/** Posts a urlencoded form with the page's cookie. */
export function postForm(
  baseUrl: string,
  path: string,
  fields: Record<string, string | string[]>,
  cookie?: string,
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: body.toString(),
    redirect: 'manual',
  });
}
