import { html, type Html } from '../../foundation';
import { consolePage, dateWords, doneNotice, nextLink, table, to, type ConsoleContext } from './console-page';
import { incidentHead, incidentRows, joined, type IncidentView } from './incidents';

export type SubjectKind = 'persons' | 'organizations';

interface Membership {
  id: string;
  name: string | null;
  role: string | null;
}

export interface SubjectView {
  id: string;
  name: string;
  aliases: string[];
  status: string;
  statusSince?: string | null;
  organizations?: Membership[];
  members?: Membership[];
  incidents?: IncidentView[];
  /** The ids merged into this one (docs/api.md, "Names and identity"). */
  mergedFrom?: string[];
}

const memberships = (context: ConsoleContext, kind: 'persons' | 'organizations', list: Membership[]): Html =>
  joined(
    context,
    list.map(
      (m) =>
        html`<a href="${to(context, `/admin/${kind}/${m.id}`)}">${m.name ?? m.id}</a>${m.role ? html` <span class="muted">(<bdi>${m.role}</bdi>)</span>` : ''}`,
    ),
  );

export function subjectsPage(
  context: ConsoleContext,
  kind: SubjectKind,
  q: string | undefined,
  page: { items: SubjectView[]; nextCursor: string | null },
): Html {
  const { t } = context;
  const rows = page.items.map(
    (s) =>
      html`<tr><th scope="row"><a href="${to(context, `/admin/${kind}/${s.id}`)}">${s.name}</a></th><td>${s.aliases.join(', ')}</td><td>${t(`admin.subjectStatus.${s.status}` as never)}</td></tr>`,
  );
  return consolePage(
    context,
    kind,
    t(`admin.${kind}.title`),
    html`<form method="get" action="/admin/${kind}" class="filters" role="search">
<input type="hidden" name="lang" value="${context.language}">
<div class="field"><label for="q">${t('admin.subjects.search')}</label><span class="hint" id="q-hint">${t('admin.subjects.searchHint')}</span>
<input type="search" id="q" name="q" maxlength="200" aria-describedby="q-hint" value="${q ?? ''}"></div>
<div class="field"><button type="submit">${t('admin.subjects.searchButton')}</button></div>
</form>
${table(t(`admin.${kind}.title`), [t('admin.subjects.name'), t('admin.subjects.aliases'), t('admin.subjects.status')], rows, t('admin.subjects.none'))}
${nextLink(context, page.nextCursor)}`,
  );
}

/**
 * A person or an organisation: names, status, memberships, and the timeline of its incidents by when they
 * happened (with their precision: a year stays a year), newest first, as the read model orders them; then
 * `identity`, who they may be the same as and the merges (screens/identity.ts).
 */
export function subjectPage(
  context: ConsoleContext,
  kind: SubjectKind,
  subject: SubjectView,
  identity: Html = html``,
): Html {
  const { t } = context;
  const isPerson = kind === 'persons';
  return consolePage(
    context,
    kind,
    subject.name,
    html`${doneNotice(context)}
<dl class="facts">
<dt>${t('admin.subjects.status')}</dt><dd id="subject-status" data-status="${subject.status}">${t(`admin.subjectStatus.${subject.status}` as never)}${
      subject.statusSince
        ? html` <span class="muted">· ${t('admin.subjects.since', { date: dateWords(context, subject.statusSince) })}</span>`
        : ''
    }</dd>
<dt>${t('admin.subjects.aliases')}</dt><dd id="subject-aliases">${subject.aliases.join(', ')}</dd>
<dt>${isPerson ? t('admin.subjects.memberOf') : t('admin.subjects.members')}</dt><dd>${memberships(
      context,
      isPerson ? 'organizations' : 'persons',
      (isPerson ? subject.organizations : subject.members) ?? [],
    )}</dd>
</dl>
<p><a href="${to(context, `/admin/incidents?${isPerson ? 'personId' : 'organizationId'}=${subject.id}`)}">${t('admin.subjects.allIncidents')}</a></p>
${table(t('admin.subjects.timeline'), incidentHead(context), incidentRows(context, subject.incidents ?? []), t('admin.incidents.none'))}
${identity}`,
  );
}
