import { INCIDENT_TYPE_NAMES, VERIFICATIONS } from '@vigil/domain';
import { attributes, html, type Html } from '../../foundation';
import {
  filterOption,
  consolePage,
  dateWords,
  doneNotice,
  momentWords,
  nextLink,
  postForm,
  table,
  to,
  type ConsoleContext,
  type Refusal,
} from './console-page';
import {
  conflictsSection,
  deliveriesSection,
  mergeSection,
  sourcesTable,
  verificationFacts,
  verificationNotices,
  type DuplicateView,
  type VerifiedIncidentView,
} from './incident-verification';
import type { DeliveryView } from './operations';

/** An incident as GET /v1/admin/incidents/{id} gives it (the fields the console shows). */
export interface IncidentView extends VerifiedIncidentView {
  id: string;
  type: string;
  occurredOn: string;
  occurredOnPrecision: string;
  occurredOnOriginal: { value?: string; calendar?: string } | null;
  persons: { id: string | null; name: string | null }[];
  organizations: { id: string | null; name: string | null }[];
  location: string | null;
  details: Record<string, unknown> | null;
  summary: string | null;
  source: { name?: string; url?: string; status?: string } | null;
  externalId: string | null;
  status: string;
  confirmedBy: unknown;
  retractionReason: string | null;
  recordedAt: string;
  position: number;
}

export interface IncidentFilters {
  type?: string;
  from?: string;
  to?: string;
  personId?: string;
  organizationId?: string;
  verification?: string;
  sourceId?: string;
}

const subjectLinks = (context: ConsoleContext, incident: IncidentView): Html[] => [
  ...incident.persons.map((p) =>
    p.id ? html`<a href="${to(context, `/admin/persons/${p.id}`)}">${p.name}</a>` : html`${p.name}`,
  ),
  ...incident.organizations.map((o) =>
    o.id ? html`<a href="${to(context, `/admin/organizations/${o.id}`)}">${o.name}</a>` : html`${o.name}`,
  ),
];

/** A list in a sentence, with the comma of the language. */
export const joined = (context: ConsoleContext, items: Html[]): Html =>
  html`${items.map((item, i) => html`${i ? (context.language === 'fa' ? '، ' : ', ') : ''}${item}`)}`;

export function incidentRows(context: ConsoleContext, incidents: IncidentView[]): Html[] {
  const { t } = context;
  return incidents.map(
    (i) => html`<tr><td>${dateWords(context, i.occurredOn, i.occurredOnPrecision)}</td>
<td><a href="${to(context, `/admin/incidents/${i.id}`)}">${t(`admin.type.${i.type}` as never)}</a></td>
<td>${joined(context, subjectLinks(context, i))}</td><td>${i.location ?? ''}</td><td class="status-${i.status}">${t(`admin.status.${i.status}` as never)}</td>
<td class="status-${i.verification}">${i.verification ? t(`admin.verification.${i.verification}` as never) : ''}</td></tr>`,
  );
}

export const incidentHead = (context: ConsoleContext): string[] => {
  const { t } = context;
  return [
    t('admin.incident.occurredOn'),
    t('admin.incident.type'),
    t('admin.incident.subjects'),
    t('admin.incident.location'),
    t('admin.incident.status'),
    t('admin.incident.verification'),
  ];
};

export function incidentsPage(
  context: ConsoleContext,
  filters: IncidentFilters,
  page: { items: IncidentView[]; nextCursor: string | null },
  sources: { id: string; name: string }[] = [],
): Html {
  const { t } = context;
  const typeOptions = [
    filterOption('', filters.type, t('admin.filter.any')),
    ...INCIDENT_TYPE_NAMES.map((type) => filterOption(type, filters.type, t(`admin.type.${type}` as never))),
  ];
  return consolePage(
    context,
    'incidents',
    t('admin.incidents.title'),
    html`${doneNotice(context)}
<form method="get" action="/admin/incidents" class="filters" role="search" aria-label="${t('admin.filter.label')}">
<input type="hidden" name="lang" value="${context.language}">
${filters.personId ? html`<input type="hidden" name="personId" value="${filters.personId}">` : ''}
${filters.organizationId ? html`<input type="hidden" name="organizationId" value="${filters.organizationId}">` : ''}
<div class="field"><label for="f-type">${t('admin.incident.type')}</label><select id="f-type" name="type">${typeOptions}</select></div>
<div class="field"><label for="f-verification">${t('admin.incident.verification')}</label><select id="f-verification" name="verification">${filterOption('', filters.verification, t('admin.filter.any'))}${VERIFICATIONS.map((v) => filterOption(v, filters.verification, t(`admin.verification.${v}` as never)))}</select></div>
<div class="field"><label for="f-source">${t('admin.filter.source')}</label><select id="f-source" name="sourceId">${filterOption('', filters.sourceId, t('admin.filter.any'))}${sources.map((s) => filterOption(s.id, filters.sourceId, s.name))}</select></div>
<div class="field"><label for="f-from">${t('admin.filter.from')}</label><input type="date" id="f-from" name="from"${attributes({ value: filters.from })}></div>
<div class="field"><label for="f-to">${t('admin.filter.to')}</label><input type="date" id="f-to" name="to"${attributes({ value: filters.to })}></div>
<div class="field"><button type="submit">${t('admin.filter.apply')}</button></div>
</form>
<p><a class="button" href="${to(context, '/admin/incidents/new')}">${t('admin.nav.record')}</a></p>
${table(t('admin.incidents.title'), incidentHead(context), incidentRows(context, page.items), t('admin.incidents.none'))}
${nextLink(context, page.nextCursor)}`,
  );
}

function detailWords(details: Record<string, unknown> | null): Html {
  const entries = Object.entries(details ?? {});
  if (!entries.length) return html``;
  return html`${entries.map(([name, value]) => html`<dt>${name}</dt><dd>${Array.isArray(value) ? value.join(', ') : String(value)}</dd>`)}`;
}

/** What the incident page shows beside the incident: its alerts, its possible duplicates, what the API refused. */
export interface IncidentPageExtras {
  deliveries: { items: DeliveryView[]; nextCursor: string | null };
  duplicates: DuplicateView[];
  refusal?: Refusal;
}

export function incidentPage(context: ConsoleContext, incident: IncidentView, extras: IncidentPageExtras): Html {
  const { t } = context;
  const title = `${t(`admin.type.${incident.type}` as never)} · ${dateWords(context, incident.occurredOn, incident.occurredOnPrecision)}`;
  const original = incident.occurredOnOriginal?.value
    ? html` <span class="muted">(${t('admin.incident.original', { date: incident.occurredOnOriginal.value })})</span>`
    : '';
  const corrections =
    incident.status === 'retracted'
      ? html`<p class="problem">${t('admin.incident.retractedBecause', { reason: incident.retractionReason ?? '' })}</p>`
      : html`<h2>${t('admin.incident.corrections')}</h2>
<div class="columns">
${
  incident.status === 'confirmed'
    ? html`<p>${t('admin.status.confirmed')}</p>`
    : postForm(
        context,
        `/admin/incidents/${incident.id}/confirm`,
        html`<div class="field"><label for="confirm-source">${t('admin.incident.confirmSource')}</label>
<span class="hint" id="confirm-source-hint">${t('admin.incident.confirmSourceHint')}</span>
<input type="text" id="confirm-source" name="source" maxlength="200" aria-describedby="confirm-source-hint"></div>
<button type="submit">${t('admin.incident.confirm')}</button>`,
        t('admin.incident.confirm'),
      )
}
${postForm(
  context,
  `/admin/incidents/${incident.id}/retract`,
  html`<div class="field"><label for="retract-reason">${t('admin.incident.retractReason')}</label>
<textarea id="retract-reason" name="reason" required maxlength="2000" rows="2"></textarea></div>
<button type="submit" class="danger">${t('admin.incident.retract')}</button>`,
  t('admin.incident.retract'),
)}
</div>`;
  return consolePage(
    context,
    'incidents',
    title,
    html`${doneNotice(context)}${verificationNotices(context, incident, extras.refusal)}
<dl class="facts">
<dt>${t('admin.incident.status')}</dt><dd class="status-${incident.status}">${t(`admin.status.${incident.status}` as never)}</dd>
${verificationFacts(context, incident)}
<dt>${t('admin.incident.occurredOn')}</dt><dd>${dateWords(context, incident.occurredOn, incident.occurredOnPrecision)} <span class="muted">(${t(`admin.precision.${incident.occurredOnPrecision}` as never)})</span>${original}</dd>
<dt>${t('admin.incident.persons')}</dt><dd>${joined(context, subjectLinks(context, { ...incident, organizations: [] }))}</dd>
<dt>${t('admin.incident.organizations')}</dt><dd>${joined(context, subjectLinks(context, { ...incident, persons: [] }))}</dd>
<dt>${t('admin.incident.location')}</dt><dd>${incident.location ?? ''}</dd>
${detailWords(incident.details)}
<dt>${t('admin.incident.summary')}</dt><dd>${incident.summary ?? ''}</dd>
<dt>${t('admin.incident.source')}</dt><dd>${incident.source?.url ? html`<a href="${incident.source.url}" rel="noreferrer">${incident.source.name}</a>` : (incident.source?.name ?? '')} ${incident.source?.status ? html`<span class="muted">(${incident.source.status})</span>` : ''}</dd>
<dt>${t('admin.incident.recordedAt')}</dt><dd>${momentWords(context, incident.recordedAt)}</dd>
</dl>
${sourcesTable(context, incident)}
${conflictsSection(context, incident)}
${corrections}
${mergeSection(context, incident, extras.duplicates)}
${deliveriesSection(context, incident, extras.deliveries)}`,
  );
}
