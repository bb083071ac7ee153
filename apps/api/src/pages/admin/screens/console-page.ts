import { dayInBothCalendars, localDigits, type MessageKey } from '@vigil/i18n';
import type { FieldError } from '../../../http/validation-errors';
import { attributes, csrfField, html, layout, withLanguage, type Html, type PageContext } from '../../foundation';

/** What every console page needs: the request's language and URL, and the CSRF token of its session. */
export interface ConsoleContext extends PageContext {
  csrf: string;
}

/** The admin API's refusal of an action, shown on the page that asked for it, with the API's status. */
export interface Refusal {
  status: number;
  detail: string;
  /** A 400's fields and why each is wrong. */
  errors?: FieldError[];
}

/** The console's sections, in the order of its navigation. A new screen is one line here and one route. */
export const SECTIONS = [
  ['dashboard', '/admin', 'admin.nav.dashboard'],
  ['incidents', '/admin/incidents', 'admin.nav.incidents'],
  ['record', '/admin/incidents/new', 'admin.nav.record'],
  ['persons', '/admin/persons', 'admin.nav.persons'],
  ['organizations', '/admin/organizations', 'admin.nav.organizations'],
  ['review', '/admin/review', 'admin.nav.review'],
  ['sources', '/admin/sources', 'admin.nav.sources'],
  ['webhooks', '/admin/webhooks', 'admin.nav.webhooks'],
  ['deliveries', '/admin/deliveries', 'admin.nav.deliveries'],
  ['subscriptions', '/admin/subscriptions', 'admin.nav.subscriptions'],
  ['events', '/admin/events', 'admin.nav.events'],
] as const satisfies readonly (readonly [string, string, MessageKey])[];

export type Section = (typeof SECTIONS)[number][0];

/** A console path in the page's language (links, form actions and redirects keep `?lang=`). */
export const to = (context: PageContext, path: string): string => withLanguage(path, context.language);

/** A POST form of the console: its CSRF token, and the page's language kept in the action. */
export function postForm(context: ConsoleContext, action: string, content: Html | Html[], label?: string): Html {
  return html`<form method="post" action="${to(context, action)}"${attributes({ 'aria-label': label })}>${csrfField(context.csrf)}${content}</form>`;
}

/** A form that is only one button (confirm, retry, rebuild …). */
export const buttonForm = (
  context: ConsoleContext,
  action: string,
  label: string,
  tone: 'primary' | 'secondary' | 'danger' = 'secondary',
): Html =>
  postForm(context, action, html`<button type="submit" class="${tone === 'primary' ? '' : tone}">${label}</button>`);

export function consolePage(
  context: ConsoleContext,
  current: Section | undefined,
  title: string,
  main: Html | Html[],
  { script = false }: { script?: boolean } = {},
): Html {
  const { t } = context;
  const links = SECTIONS.map(([section, path, key]) =>
    section === current
      ? html`<li><a href="${to(context, path)}" aria-current="page">${t(key)}</a></li>`
      : html`<li><a href="${to(context, path)}">${t(key)}</a></li>`,
  );
  const nav = html`<nav class="console" aria-label="${t('admin.nav.label')}"><ul>${links}<li class="signout">${postForm(
    context,
    '/admin/logout',
    html`<button type="submit" class="secondary">${t('admin.signOut')}</button>`,
  )}</li></ul></nav>`;
  return layout(context, { title, main: html`${main}`, nav, wide: true, script });
}

/** A Gregorian day or partial date as the reader counts: both calendars for a day, the digits of the language else. */
export function dateWords(context: PageContext, value: string | null | undefined, precision?: string): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && (precision === undefined || precision === 'day')) {
    return dayInBothCalendars(value, context.language);
  }
  return localDigits(value, context.language);
}

/** A moment (ISO time) as its UTC day in both calendars and the time of day. */
export function momentWords(context: PageContext, value: string | null | undefined): string {
  if (!value) return '';
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return value;
  return `${dayInBothCalendars(at, context.language)} ${localDigits(at.toISOString().slice(11, 16), context.language)} UTC`;
}

export const number = (context: PageContext, value: number | null | undefined): string =>
  value === null || value === undefined ? '' : localDigits(value, context.language);

/** "next page" for a list answer with a cursor: the same query with the cursor set. */
export function nextLink(context: PageContext, nextCursor: string | null | undefined): Html {
  if (!nextCursor) return html``;
  const url = new URL(context.here, 'http://vigil.invalid');
  url.searchParams.set('cursor', nextCursor);
  return html`<p><a href="${to(context, `${url.pathname}${url.search}`)}" rel="next">${context.t('admin.list.next')}</a></p>`;
}

/** A table that scrolls sideways on a phone instead of squeezing its columns. */
/** An option of a filter's select, chosen when it is the filter's current value (none: the empty "any"). */
export const filterOption = (value: string, current: string | undefined, words: string): Html =>
  html`<option${attributes({ value, selected: value === (current ?? '') })}>${words}</option>`;

export const table = (caption: string, head: string[], rows: Html[], empty: string): Html =>
  rows.length
    ? html`<div class="scroll"><table><caption>${caption}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="muted">${empty}</p>`;

/**
 * A notice at the top of a page after an action (Post/Redirect/Get carries its key in `?done=`), and, with
 * `?behind=1`, that the page may not show it yet: the read models had not read the action when it was drawn.
 */
export function doneNotice(context: PageContext): Html {
  const query = new URL(context.here, 'http://vigil.invalid').searchParams;
  const done = query.get('done');
  const key = done && DONE_KEYS[done];
  if (!key) return html``;
  const behind = query.get('behind') === '1' ? html`<p id="behind">${context.t('admin.done.behind')}</p>` : html``;
  return html`<div class="notice" role="status"><p>${context.t(key)}</p>${behind}</div>`;
}

const DONE_KEYS: Record<string, MessageKey> = {
  confirmed: 'admin.done.confirmed',
  retracted: 'admin.done.retracted',
  resolved: 'admin.done.resolved',
  separated: 'admin.done.separated',
  incidentMerged: 'admin.done.incidentMerged',
  rebuilding: 'admin.done.rebuilding',
  resumed: 'admin.done.resumed',
  retried: 'admin.done.retried',
  disabled: 'admin.done.disabled',
  enabled: 'admin.done.enabled',
  deleted: 'admin.done.deleted',
  erased: 'admin.done.erased',
  recorded: 'admin.done.recorded',
  merged: 'admin.done.merged',
  unmerged: 'admin.done.unmerged',
  aliasAdded: 'admin.done.aliasAdded',
  aliasKnown: 'admin.done.aliasKnown',
  dismissed: 'admin.done.dismissed',
};

/** `path?done=key` for the redirect after an action; `behind`: the read models had not read it yet (`&behind=1`). */
export const afterAction = (
  context: PageContext,
  path: string,
  done: keyof typeof DONE_KEYS & string,
  behind = false,
): string => {
  const url = new URL(to(context, path), 'http://vigil.invalid');
  url.searchParams.set('done', done);
  if (behind) url.searchParams.set('behind', '1');
  return `${url.pathname}${url.search}`;
};
