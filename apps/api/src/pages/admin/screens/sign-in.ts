import { csrfField, html, layout, type Html, type PageContext } from '../../foundation';
import { to } from './console-page';

/** The sign-in form: the admin token, posted with the browser's CSRF token (there is no session yet). */
export function signInPage(context: PageContext, csrf: string, failed = false): Html {
  const { t } = context;
  return layout(context, {
    title: t('admin.signIn.title'),
    main: html`${failed ? html`<div class="problem" role="alert"><p>${t('admin.signIn.failed')}</p></div>` : ''}
<p>${t('admin.signIn.body')}</p>
<form method="post" action="${to(context, '/admin/sign-in')}">${csrfField(csrf)}
<div class="field"><label for="token">${t('admin.signIn.token')}</label>
<input type="password" id="token" name="token" autocomplete="current-password" required maxlength="512"></div>
<div class="actions"><button type="submit">${t('admin.signIn.button')}</button></div>
</form>`,
  });
}
