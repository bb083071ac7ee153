import { csrfField, html, layout, messagePage, withLanguage, type Html, type PageContext } from '../foundation';
import { errorSummary, watchFields, type FieldErrors, type WatchFormValues } from './watch-fields';

const list = (items: string[]): Html => html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;

/**
 * The start page: what Vigil does and does not do, what it keeps about a subscriber and how to erase it, and the
 * subscribe form (a plain form; the script only adds name suggestions and more name fields).
 */
export function homePage(context: PageContext, csrf: string, values: WatchFormValues, errors: FieldErrors): Html {
  const { t, language } = context;
  return layout(context, {
    title: t('home.title'),
    script: true,
    main: html`<p class="lead">${t('home.intro')}</p>
<div class="columns">
<section><h2>${t('home.does.heading')}</h2>${list([t('home.does.1'), t('home.does.2'), t('home.does.3')])}</section>
<section><h2>${t('home.doesNot.heading')}</h2>${list([t('home.doesNot.1'), t('home.doesNot.2'), t('home.doesNot.3')])}</section>
</div>
<h2>${t('home.stores.heading')}</h2>
<p>${t('home.stores.body')}</p>
<h2>${t('home.erase.heading')}</h2>
<p>${t('home.erase.body')}</p>
<h2 id="subscribe">${t('subscribe.heading')}</h2>
<p class="notice">${t('home.safety')}</p>
${errorSummary(context, errors)}
<form method="post" action="${withLanguage('/subscribe', language)}" novalidate>${csrfField(csrf)}
<div class="field">
<label for="email">${t('subscribe.email.label')}</label>
<span class="hint" id="email-hint">${t('subscribe.email.hint')}</span>
${errors.has('email') ? html`<span class="error" id="email-error">${t(errors.get('email')!)}</span>` : ''}
<input type="email" id="email" name="email" value="${values.email ?? ''}" required maxlength="254" autocomplete="email" dir="ltr" aria-describedby="${errors.has('email') ? 'email-hint email-error' : 'email-hint'}"${errors.has('email') ? html` aria-invalid="true"` : ''}>
</div>
${watchFields(context, values, errors)}
<div class="actions"><button type="submit">${t('subscribe.submit')}</button></div>
</form>`,
  });
}

export const subscribedPage = (context: PageContext): Html =>
  messagePage(context, context.t('subscribed.title'), [context.t('subscribed.body'), context.t('subscribed.spam')]);
