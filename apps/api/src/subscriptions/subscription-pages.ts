import { csrfField, html, layout, messagePage, withLanguage, type Html, type PageContext } from '../pages/foundation';

/** A GET never changes state (mail scanners follow links): the page asks for a deliberate click. */
export function confirmPage(context: PageContext, token: string, csrf: string): Html {
  const { t, language } = context;
  return layout(context, {
    title: t('confirm.title'),
    main: html`<p>${t('confirm.body')}</p>
      <form method="post" action="${withLanguage('/v1/subscriptions/confirm', language)}">
        <input type="hidden" name="token" value="${token}" />${csrfField(csrf)}
        <div class="actions"><button type="submit">${t('confirm.button')}</button></div>
      </form>`,
  });
}

/**
 * The page of the List-Unsubscribe link. Its POST is the RFC 8058 one-click route, which mail providers call
 * without a page, so the token in the query is all it checks; the CSRF field is there for the day it is not.
 */
export function unsubscribePage(context: PageContext, token: string, csrf: string): Html {
  const { t, language } = context;
  const action = withLanguage(`/v1/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`, language);
  return layout(context, {
    title: t('unsubscribe.title'),
    main: html`<p>${t('unsubscribe.body')}</p>
      <form method="post" action="${action}">
        ${csrfField(csrf)}
        <div class="actions"><button type="submit" class="danger">${t('unsubscribe.button')}</button></div>
      </form>`,
  });
}

export const confirmedPage = (context: PageContext): Html =>
  messagePage(context, context.t('confirmed.title'), [context.t('confirmed.body'), context.t('confirmed.manage')]);

export const invalidLinkPage = (context: PageContext): Html =>
  messagePage(context, context.t('invalidLink.title'), [context.t('invalidLink.body')], 'problem');

export const unsubscribedPage = (context: PageContext): Html =>
  messagePage(context, context.t('unsubscribed.title'), [context.t('unsubscribed.body')]);
