import { CATALOGUES, type MessageKey } from '@vigil/i18n';
import { attributes, html, type Html } from '../../foundation';
import { consolePage, momentWords, postForm, table, to, type ConsoleContext, type Refusal } from './console-page';
import type { SubjectKind, SubjectView } from './subjects';

/** One of GET /v1/admin/{kind}/{id}/similar: someone whose name may denote the same one, and why. */
export interface SimilarView {
  id: string;
  name: string;
  aliases: string[];
  reason: string;
  /** The pair's review item (dismissing it says "not the same"). */
  candidate: string;
  since: string;
  dismissed: boolean;
}

/** The identity parts of a person's or organisation's page. */
export interface IdentityData {
  /** The id in the address: a merged one's page shows its survivor, and says so. */
  requestedId: string;
  similar: SimilarView[];
  refusal?: Refusal;
}

/**
 * The words of a key built from a value of the API (a reason, a review kind), or undefined when the catalogues have
 * none yet (a kind the API learnt later): the page then says something general instead of showing a bare key.
 */
export function wordsFor(context: ConsoleContext, key: string): string | undefined {
  return Object.hasOwn(CATALOGUES.en, key) ? context.t(key as MessageKey) : undefined;
}

export const reasonWords = (context: ConsoleContext, reason: string): string =>
  wordsFor(context, `admin.reason.${reason}`) ?? reason;

/** What the API refused and why, in the page's language, with the API's own words beside (ids, field paths). */
export function refusalBox(context: ConsoleContext, refusal: Refusal | undefined, conflict: MessageKey): Html {
  if (!refusal) return html``;
  const { t } = context;
  const words =
    refusal.status === 400
      ? t('admin.refused.400')
      : refusal.status === 404
        ? t('admin.refused.404')
        : refusal.status === 409
          ? t(conflict)
          : t('admin.refused.other');
  const details = refusal.errors?.length
    ? html`<ul>${refusal.errors.map((e) => html`<li><bdi>${e.path}</bdi>: <bdi>${e.message}</bdi></li>`)}</ul>`
    : html`<p class="muted" lang="en" dir="ltr">${refusal.detail}</p>`;
  return html`<div class="problem" role="alert" id="refusal" data-status="${refusal.status}"><p><strong>${t('admin.refused.title')}</strong> ${words}</p>${details}</div>`;
}

const subjectPath = (kind: SubjectKind, id: string, action = ''): string => `/admin/${kind}/${id}${action}`;

function similarTable(context: ConsoleContext, kind: SubjectKind, subject: SubjectView, similar: SimilarView[]): Html {
  const { t } = context;
  const group = new Set(subject.mergedFrom ?? []);
  const rows = similar.map((s) => {
    const actions = group.has(s.id)
      ? html`<span class="muted">${t('admin.identity.inGroup')}</span>`
      : html`<a href="${to(context, `${subjectPath(kind, subject.id, '/merge')}?into=${s.id}`)}">${t('admin.identity.mergeInto', { name: s.name })}</a>
${
  s.dismissed
    ? html`<span class="muted">${t('admin.identity.dismissed')}</span>`
    : postForm(
        context,
        `/admin/review/${s.candidate}/dismiss`,
        html`<input type="hidden" name="back" value="${subjectPath(kind, subject.id)}"><button type="submit" class="secondary">${t('admin.identity.notSame', { name: s.name })}</button>`,
      )
}`;
    return html`<tr data-id="${s.id}"><th scope="row"><a href="${to(context, subjectPath(kind, s.id))}">${s.name}</a></th><td>${s.aliases.join(', ')}</td><td data-reason="${s.reason}">${reasonWords(context, s.reason)}</td><td>${momentWords(context, s.since)}</td><td>${actions}</td></tr>`;
  });
  // The table's caption is the section's heading; without rows, a heading of its own says there are none.
  const list = rows.length
    ? table(
        t('admin.identity.similar'),
        [
          t('admin.subjects.name'),
          t('admin.subjects.aliases'),
          t('admin.identity.reason'),
          t('admin.identity.proposed'),
          t('admin.actions'),
        ],
        rows,
        '',
      )
    : html`<h2>${t('admin.identity.similar')}</h2><p class="muted">${t('admin.identity.similarNone')}</p>`;
  return html`<div id="similar">${list}</div><p class="hint">${t('admin.identity.similarHint')}</p>`;
}

function mergedFromTable(context: ConsoleContext, kind: SubjectKind, subject: SubjectView, data: IdentityData): Html {
  const { t } = context;
  const merged = subject.mergedFrom ?? [];
  if (!merged.length) return html``;
  // The API gives the ids only; a similar one's name is known from that list.
  const names = new Map(data.similar.map((s) => [s.id, s.name]));
  const rows = merged.map(
    (id, i) =>
      html`<tr data-id="${id}"${attributes({ 'aria-current': id === data.requestedId ? 'true' : undefined })}><th scope="row">${names.get(id) ?? ''} <code dir="ltr">${id}</code></th>
<td>${postForm(
        context,
        subjectPath(kind, id, '/unmerge'),
        html`<div class="field"><label for="unmerge-reason-${i}">${t('admin.identity.unmergeReason')}</label><input type="text" id="unmerge-reason-${i}" name="reason" maxlength="2000"></div>
<button type="submit" class="secondary">${t('admin.identity.unmerge')}</button>`,
        t('admin.identity.unmerge'),
      )}</td></tr>`,
  );
  return html`<div id="merged-from">${table(t('admin.identity.mergedFrom'), [t('admin.identity.record'), t('admin.actions')], rows, '')}</div>
<p class="hint">${t('admin.identity.mergedFromHint')}</p>`;
}

/** Similar names, the "add another name" form, merging into another, and undoing the merges into this one. */
export function identitySections(
  context: ConsoleContext,
  kind: SubjectKind,
  subject: SubjectView,
  data: IdentityData,
): Html {
  const { t } = context;
  const opened =
    data.requestedId !== subject.id
      ? html`<div class="notice" role="status" id="opened-merged"><p>${t('admin.identity.openedMerged')} <code dir="ltr">${data.requestedId}</code></p></div>`
      : '';
  return html`${opened}
${similarTable(context, kind, subject, data.similar)}
<h2 id="add-alias">${t('admin.identity.addAlias')}</h2>
${refusalBox(context, data.refusal, 'admin.refused.alias409')}
${postForm(
  context,
  subjectPath(kind, subject.id, '/aliases'),
  html`<div class="field"><label for="alias-name">${t('admin.identity.aliasLabel')}</label><span class="hint" id="alias-hint">${t('admin.identity.aliasHint')}</span>
<input type="text" id="alias-name" name="name" required maxlength="200" aria-describedby="alias-hint"></div>
<button type="submit" class="secondary">${t('admin.identity.aliasButton')}</button>`,
  t('admin.identity.addAlias'),
)}
<h2 id="merge">${t('admin.identity.merge')}</h2>
<p class="hint">${t('admin.identity.mergeHint')}</p>
<p><a href="${to(context, subjectPath(kind, subject.id, '/merge'))}">${t('admin.identity.mergeLink', { name: subject.name })}</a></p>
${mergedFromTable(context, kind, subject, data)}`;
}

/** A record the merge page offers as the survivor: a similar one (with why), or one the search found. */
export interface MergeChoice {
  id: string;
  name: string;
  aliases: string[];
  reason?: string;
}

export interface MergeForm {
  q?: string;
  into?: string;
  intoId?: string;
  reason?: string;
}

/**
 * Merging one record into another: the survivor picked from the similar names or a search by name (no script
 * needed), or given by id, and the reason. The API decides; a refusal comes back here with its status.
 */
export function mergePage(
  context: ConsoleContext,
  kind: SubjectKind,
  subject: SubjectView,
  choices: MergeChoice[],
  form: MergeForm,
  refusal?: Refusal,
): Html {
  const { t } = context;
  const radios = choices.map(
    (c, i) =>
      html`<div class="choice"><input type="radio" id="into-${i}" name="into"${attributes({ value: c.id, checked: form.into === c.id })}><label for="into-${i}">${c.name}${
        c.aliases.length || c.reason
          ? html` <span class="muted">(${[c.aliases.join(', '), c.reason ? reasonWords(context, c.reason) : t('admin.merge.fromSearch')].filter(Boolean).join(' · ')})</span>`
          : html` <span class="muted">(${t('admin.merge.fromSearch')})</span>`
      }</label></div>`,
  );
  return consolePage(
    context,
    kind,
    t('admin.merge.title', { name: subject.name }),
    html`${refusalBox(context, refusal, 'admin.refused.409')}
<p>${t('admin.merge.body', { name: subject.name })}</p>
<form method="get" action="${subjectPath(kind, subject.id, '/merge')}" class="filters" role="search">
<input type="hidden" name="lang" value="${context.language}">
<div class="field"><label for="merge-q">${t('admin.merge.search')}</label><input type="search" id="merge-q" name="q" maxlength="200"${attributes({ value: form.q })}></div>
<div class="field"><button type="submit" class="secondary">${t('admin.merge.searchButton')}</button></div>
</form>
${postForm(
  context,
  subjectPath(kind, subject.id, '/merge'),
  html`${form.q ? html`<input type="hidden" name="q" value="${form.q}">` : ''}
<fieldset><legend>${t('admin.merge.into')}</legend>
${radios.length ? radios : html`<p class="muted">${t('admin.merge.none')}</p>`}
<div class="field"><label for="merge-into-id">${t('admin.merge.intoId')}</label><span class="hint" id="merge-into-id-hint">${t('admin.merge.intoIdHint')}</span>
<input type="text" id="merge-into-id" name="intoId" maxlength="100" dir="ltr" aria-describedby="merge-into-id-hint"${attributes({ value: form.intoId })}></div>
</fieldset>
<div class="field"><label for="merge-reason">${t('admin.merge.reason')}</label><textarea id="merge-reason" name="reason" required maxlength="2000" rows="2">${form.reason ?? ''}</textarea></div>
<div class="actions"><button type="submit" class="danger">${t('admin.merge.button')}</button></div>`,
  t('admin.merge.button'),
)}`,
  );
}
