import { INCIDENT_TYPE_NAMES, SOURCE_KIND_NAMES } from '@vigil/domain';
import { html, type Html } from '../../foundation';
import {
  filterOption,
  buttonForm,
  consolePage,
  doneNotice,
  momentWords,
  nextLink,
  number,
  postForm,
  table,
  to,
  type ConsoleContext,
  type Section,
} from './console-page';

type ListOf<T> = { items: T[]; nextCursor: string | null };

export interface SourceView {
  id: string;
  name: string;
  kind: string;
  status: 'active' | 'disabled';
  createdAt: string;
}

/** A secret as the API issued it: shown on this one page, never again (nor in a URL, nor in a log). */
export function secretPage(
  context: ConsoleContext,
  section: Section,
  back: string,
  issued: { id: string; name?: string; secret: string },
): Html {
  const { t } = context;
  return consolePage(
    context,
    section,
    t('admin.secret.title'),
    html`<div class="notice" role="status"><p>${t('admin.secret.once')}</p></div>
<dl class="facts"><dt>${t('admin.secret.for')}</dt><dd>${issued.name ?? issued.id}</dd></dl>
<p class="secret" id="secret">${issued.secret}</p>
<p><a href="${to(context, back)}">${t('admin.secret.back')}</a></p>`,
  );
}

export function sourcesPage(context: ConsoleContext, page: ListOf<SourceView>): Html {
  const { t } = context;
  const rows = page.items.map(
    (
      s,
    ) => html`<tr><th scope="row">${s.name}</th><td>${s.kind}</td><td class="status-${s.status}">${t(`admin.sourceState.${s.status}` as never)}</td><td>${momentWords(context, s.createdAt)}</td>
<td>${postForm(
      context,
      `/admin/sources/${s.id}/rotate-secret`,
      html`<label class="choice"><input type="checkbox" name="revokeOldNow" value="true"> ${t('admin.sources.revokeOldNow')}</label><button type="submit" class="secondary">${t('admin.sources.rotate', { name: s.name })}</button>`,
    )}
${
  s.status === 'active'
    ? buttonForm(context, `/admin/sources/${s.id}/disable`, t('admin.sources.disable', { name: s.name }), 'danger')
    : buttonForm(context, `/admin/sources/${s.id}/enable`, t('admin.sources.enable', { name: s.name }))
}</td></tr>`,
  );
  return consolePage(
    context,
    'sources',
    t('admin.sources.title'),
    html`${doneNotice(context)}
${table(t('admin.sources.title'), [t('admin.subjects.name'), t('admin.sources.kind'), t('admin.subjects.status'), t('admin.created'), t('admin.actions')], rows, t('admin.sources.none'))}
${nextLink(context, page.nextCursor)}
<h2>${t('admin.sources.create')}</h2>
${postForm(
  context,
  '/admin/sources',
  html`<div class="field"><label for="s-name">${t('admin.subjects.name')}</label><input type="text" id="s-name" name="name" required maxlength="200"></div>
<div class="field"><label for="s-kind">${t('admin.sources.kind')}</label><select id="s-kind" name="kind">${SOURCE_KIND_NAMES.map((k) => html`<option value="${k}">${k}</option>`)}</select></div>
<button type="submit">${t('admin.sources.createButton')}</button>`,
)}`,
  );
}

export interface WebhookView {
  id: string;
  url: string;
  status: string;
  types: string[] | null;
  watch: { persons: string[]; organizations: string[] };
  createdAt: string;
}

const typeChoices = (context: ConsoleContext, name: string): Html =>
  html`<fieldset><legend>${context.t('admin.webhooks.types')}</legend><p class="hint">${context.t('admin.webhooks.typesHint')}</p>${INCIDENT_TYPE_NAMES.map(
    (type) =>
      html`<div class="choice"><input type="checkbox" id="${name}-${type}" name="${name}" value="${type}"><label for="${name}-${type}">${context.t(`admin.type.${type}` as never)}</label></div>`,
  )}</fieldset>`;

export function webhooksPage(context: ConsoleContext, page: ListOf<WebhookView>): Html {
  const { t } = context;
  const rows = page.items.map(
    (w) => html`<tr><th scope="row"><span dir="ltr">${w.url}</span></th><td>${w.status}</td>
<td>${[...w.watch.persons, ...w.watch.organizations].join(', ')}</td><td>${(w.types ?? []).join(', ') || t('admin.filter.any')}</td>
<td><a href="${to(context, `/admin/deliveries?subscriptionId=${w.id}`)}">${t('admin.webhooks.deliveries')}</a>
${buttonForm(context, `/admin/webhooks/${w.id}/delete`, t('admin.webhooks.delete'), 'danger')}</td></tr>`,
  );
  return consolePage(
    context,
    'webhooks',
    t('admin.webhooks.title'),
    html`${doneNotice(context)}
${table(t('admin.webhooks.title'), ['URL', t('admin.subjects.status'), t('admin.webhooks.watch'), t('admin.webhooks.types'), t('admin.actions')], rows, t('admin.webhooks.none'))}
${nextLink(context, page.nextCursor)}
<h2>${t('admin.webhooks.create')}</h2>
${postForm(
  context,
  '/admin/webhooks',
  html`<div class="field"><label for="w-url">URL</label><input type="url" id="w-url" name="url" required maxlength="2048" dir="ltr"></div>
<div class="field"><label for="w-persons">${t('admin.incident.persons')}</label><span class="hint" id="w-hint">${t('admin.webhooks.namesHint')}</span><textarea id="w-persons" name="persons" rows="2" aria-describedby="w-hint"></textarea></div>
<div class="field"><label for="w-organizations">${t('admin.incident.organizations')}</label><textarea id="w-organizations" name="organizations" rows="2"></textarea></div>
${typeChoices(context, 'types')}
<button type="submit">${t('admin.webhooks.createButton')}</button>`,
)}`,
  );
}

export interface DeliveryView {
  id: string;
  channel: string;
  subscriptionId: string;
  incidentId: string;
  alertType: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
}

/** One row per delivery, with **Retry** for a dead or failed one; the deliveries page and an incident's page. */
export function deliveryRows(context: ConsoleContext, deliveries: DeliveryView[]): Html[] {
  const { t } = context;
  return deliveries.map(
    (
      d,
    ) => html`<tr><td>${d.alertType}</td><td><a href="${to(context, `/admin/incidents/${d.incidentId}`)}">${t('admin.deliveries.incident')}</a></td><td>${d.channel}</td>
<td class="status-${d.status}">${t(`admin.deliveryStatus.${d.status}` as never)}</td><td>${number(context, d.attempts)}</td><td>${momentWords(context, d.lastAttemptAt)}</td><td>${d.lastError ?? ''}</td>
<td>${d.status === 'dead' || d.status === 'failed' ? buttonForm(context, `/admin/deliveries/${d.id}/retry`, t('admin.deliveries.retry'), 'primary') : ''}</td></tr>`,
  );
}

export const deliveryHead = (context: ConsoleContext): string[] => {
  const { t } = context;
  return [
    t('admin.deliveries.alert'),
    t('admin.deliveries.incident'),
    t('admin.deliveries.channel'),
    t('admin.subjects.status'),
    t('admin.deliveries.attempts'),
    t('admin.deliveries.lastAttempt'),
    t('admin.deliveries.lastError'),
    t('admin.actions'),
  ];
};

export function deliveriesPage(
  context: ConsoleContext,
  filters: { status?: string; channel?: string; subscriptionId?: string; incidentId?: string },
  page: ListOf<DeliveryView>,
): Html {
  const { t } = context;
  return consolePage(
    context,
    'deliveries',
    t('admin.deliveries.title'),
    html`${doneNotice(context)}
<form method="get" action="/admin/deliveries" class="filters" role="search" aria-label="${t('admin.filter.label')}">
<input type="hidden" name="lang" value="${context.language}">
${filters.subscriptionId ? html`<input type="hidden" name="subscriptionId" value="${filters.subscriptionId}">` : ''}
${filters.incidentId ? html`<input type="hidden" name="incidentId" value="${filters.incidentId}">` : ''}
<div class="field"><label for="d-status">${t('admin.subjects.status')}</label><select id="d-status" name="status">${filterOption('', filters.status, t('admin.filter.any'))}${['pending', 'delivered', 'failed', 'dead'].map((s) => filterOption(s, filters.status, t(`admin.deliveryStatus.${s}` as never)))}</select></div>
<div class="field"><label for="d-channel">${t('admin.deliveries.channel')}</label><select id="d-channel" name="channel">${filterOption('', filters.channel, t('admin.filter.any'))}${['email', 'webhook'].map((c) => filterOption(c, filters.channel, c))}</select></div>
<div class="field"><button type="submit">${t('admin.filter.apply')}</button></div>
</form>
${table(t('admin.deliveries.title'), deliveryHead(context), deliveryRows(context, page.items), t('admin.deliveries.none'))}
${nextLink(context, page.nextCursor)}`,
  );
}

export interface EmailSubscriptionView {
  id: string;
  email: string | null;
  status: string;
  types: string[] | null;
  watch: { persons: string[]; organizations: string[] };
  createdAt: string;
  confirmedAt: string | null;
}

/**
 * Email subscriptions without their addresses and watch lists unless the admin asks to see them (one
 * subscription at a time is what an erasure request needs; a list of who watches whom is what a leak costs).
 */
export function subscriptionsPage(context: ConsoleContext, page: ListOf<EmailSubscriptionView>, reveal?: string): Html {
  const { t } = context;
  const rows = page.items.map((s) => {
    const shown = s.id === reveal;
    return html`<tr><td><code>${s.id.slice(0, 8)}</code></td><td>${s.status}</td><td>${(s.types ?? []).join(', ') || t('admin.filter.any')}</td>
<td>${shown ? [...s.watch.persons, ...s.watch.organizations].join(', ') : t('admin.subscriptions.watchCount', { n: s.watch.persons.length + s.watch.organizations.length })}</td>
<td>${shown ? (s.email ?? '') : html`<a href="${to(context, `/admin/subscriptions?reveal=${s.id}`)}">${t('admin.subscriptions.reveal')}</a>`}</td>
<td>${momentWords(context, s.createdAt)}</td>
<td><a href="${to(context, `/admin/deliveries?subscriptionId=${s.id}`)}">${t('admin.webhooks.deliveries')}</a> ${buttonForm(context, `/admin/subscriptions/${s.id}/erase`, t('admin.subscriptions.erase'), 'danger')}</td></tr>`;
  });
  return consolePage(
    context,
    'subscriptions',
    t('admin.subscriptions.title'),
    html`${doneNotice(context)}<p>${t('admin.subscriptions.privacy')}</p>
${table(t('admin.subscriptions.title'), ['id', t('admin.subjects.status'), t('admin.webhooks.types'), t('admin.webhooks.watch'), t('admin.subscriptions.address'), t('admin.created'), t('admin.actions')], rows, t('admin.subscriptions.none'))}
${nextLink(context, page.nextCursor)}`,
  );
}

export interface LogEntry {
  position: number;
  streamId: string;
  version: number;
  type: string;
  data: unknown;
  recordedAt: string;
}

export function eventsPage(context: ConsoleContext, page: ListOf<LogEntry>): Html {
  const { t } = context;
  const rows = page.items.map(
    (
      e,
    ) => html`<tr><td>${number(context, e.position)}</td><td>${e.type}</td><td><code>${e.streamId}</code> · ${number(context, e.version)}</td><td>${momentWords(context, e.recordedAt)}</td>
<td><details><summary>${t('admin.events.data')}</summary><pre dir="ltr">${JSON.stringify(e.data, null, 1)}</pre></details></td></tr>`,
  );
  return consolePage(
    context,
    'events',
    t('admin.events.title'),
    html`<p>${t('admin.events.body')}</p>
${table(t('admin.events.title'), [t('admin.dashboard.position'), t('admin.incident.type'), t('admin.events.stream'), t('admin.events.recordedAt'), t('admin.events.data')], rows, t('admin.events.none'))}
${nextLink(context, page.nextCursor)}`,
  );
}
