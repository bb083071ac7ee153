import { postForm, readPageForm } from './page-form';
import { TEST_ADMIN_TOKEN } from './test-environment';

/** A signed-in console session as a browser holds it: the session cookie, and the CSRF token of its forms. */
export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

/** Signs in through the sign-in form (its own CSRF cookie and token), then reads the session's token off a page. */
export async function signInToConsole(baseUrl: string): Promise<ConsoleSession> {
  const form = await readPageForm(await fetch(`${baseUrl}/admin/sign-in`));
  const signedIn = await postForm(baseUrl, form.action, { _csrf: form.csrf, token: TEST_ADMIN_TOKEN }, form.cookie);
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
  // Every form of a session carries the same token; the first is the sign-out in the navigation.
  const page = await readPageForm(await fetch(`${baseUrl}/admin`, { headers: { cookie } }), cookie);
  return { cookie, csrf: page.csrf };
}
