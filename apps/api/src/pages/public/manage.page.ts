import { INCIDENT_TYPE_NAMES } from '@vigil/domain';
import type { ManagedSubscription } from '@vigil/alerts';
import { dayInBothCalendars, type MessageKey } from '@vigil/i18n';
import { csrfField, html, layout, withLanguage, type Html, type PageContext } from '../foundation';
import { errorSummary, watchFields, type FieldErrors, type WatchFormValues } from './watch-fields';

export interface RecentAlert {
  alertType: string;
  incident: Record<string, unknown>;
  createdAt: Date;
}

/** What the manage page says after a change (`?done=`), so a reload after the redirect changes nothing. */
export const DONE_NOTICES: Record<string, MessageKey> = {
  saved: 'manage.saved',
  paused: 'manage.pausedNotice',
  resumed: 'manage.resumedNotice',
};

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((item) => String((item as { name?: unknown })?.name ?? '')).filter(Boolean) : [];
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One alert as it was sent, in full: this page, behind the token, is where minimal mails leave the details. */
function recentAlert(context: PageContext, alert: RecentAlert): Html {
  const { t, language } = context;
  const incident = alert.incident;
  const type = text(incident.type);
  const typeWords = (INCIDENT_TYPE_NAMES as readonly string[]).includes(type) ? t(`type.${type}` as MessageKey) : type;
  const occurred = text(incident.occurredOn);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(occurred) ? dayInBothCalendars(occurred, language) : occurred;
  const statusKey = `alertType.${alert.alertType}` as MessageKey;
  const row = (label: MessageKey, value: string) =>
    value ? html`<dt>${t(label)}</dt><dd class="partner" dir="auto">${value}</dd>` : '';
  return html`<li><h3>${t('manage.recent.what', { type: typeWords, date })}</h3>
<dl class="facts">
<dt>${t('manage.recent.status')}</dt><dd>${t(statusKey)}</dd>
${row('manage.recent.people', names(incident.persons).join('، '))}
${row('manage.recent.organizations', names(incident.organizations).join('، '))}
${row('manage.recent.where', text(incident.location))}
${row('manage.recent.summary', text(incident.summary))}
</dl></li>`;
}

/**
 * The manage page behind the token every mail carries: the subscription's state, the form to change it, pause or
 * resume, unsubscribe, erase everything, and the latest alerts in full. Every button is a POST with the CSRF token;
 * the token travels in the form's body, not in another URL.
 */
export function managePage(
  context: PageContext,
  token: string,
  csrf: string,
  subscription: ManagedSubscription,
  values: WatchFormValues,
  errors: FieldErrors,
  recent: RecentAlert[],
  done?: MessageKey,
): Html {
  const { t, language } = context;
  const live = subscription.status !== 'unsubscribed';
  const hidden = html`<input type="hidden" name="token" value="${token}">${csrfField(csrf)}`;
  const action = (path: string) => withLanguage(path, language);
  return layout(context, {
    title: t('manage.title'),
    script: live,
    main: html`${done ? html`<p class="notice" role="status">${t(done)}</p>` : ''}
<p><strong>${t(`manage.status.${subscription.status}`)}</strong></p>
<p>${t('manage.since', { date: dayInBothCalendars(subscription.createdAt, language) })}</p>
${
  live
    ? html`<h2>${t('manage.change.heading')}</h2>
${errorSummary(context, errors)}
<form method="post" action="${action('/manage')}" novalidate>${hidden}
${watchFields(context, values, errors)}
<div class="actions"><button type="submit">${t('manage.save')}</button></div>
</form>
<h2>${t('manage.pause.heading')}</h2>
<div class="actions">
${
  subscription.status === 'paused'
    ? html`<form method="post" action="${action('/manage/resume')}">${hidden}<button type="submit">${t('manage.resume')}</button></form>`
    : subscription.status === 'active'
      ? html`<form method="post" action="${action('/manage/pause')}">${hidden}<button type="submit" class="secondary">${t('manage.pause')}</button></form>`
      : ''
}
</div>
<form method="post" action="${action('/manage/unsubscribe')}">${hidden}<p class="hint">${t('manage.unsubscribe.hint')}</p><button type="submit" class="secondary">${t('manage.unsubscribe')}</button></form>
<h2>${t('manage.address.heading')}</h2>
<p>${t('manage.address.body')} <a href="${action('/')}">${t('layout.home')}</a></p>`
    : ''
}
<h2>${t('manage.recent.heading')}</h2>
${recent.length ? html`<ul class="alerts">${recent.map((alert) => recentAlert(context, alert))}</ul>` : html`<p>${t('manage.recent.none')}</p>`}
<h2>${t('manage.erase')}</h2>
<form method="post" action="${action('/manage/erase')}">${hidden}<p class="hint">${t('manage.erase.hint')}</p><button type="submit" class="danger">${t('manage.erase')}</button></form>`,
  });
}
