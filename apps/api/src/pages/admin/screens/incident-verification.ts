import { isUUID } from 'class-validator';
import { verificationInWords } from '@vigil/alerts';
import { ADMIN_SOURCE_ID, independentSources, type SourceKind, type Verification } from '@vigil/domain';
import { attributes, html, type Html } from '../../foundation';
import { dateWords, momentWords, postForm, to, type ConsoleContext, type Refusal } from './console-page';
import { deliveryHead, deliveryRows, type DeliveryView } from './operations';

/**
 * An incident's verification, its open conflicts, possible duplicates and merge, and the alerts about it: the
 * parts of the incident page that the admin API's verification fields and /resolve and /merge routes feed.
 */

/** The fields of GET /v1/admin/incidents/{id} this part of the page shows (docs/api.md). */
export interface VerifiedIncidentView {
  id: string;
  sourceId: string | null;
  sources: { id: string; name: string | null; kind: string; url: string | null; reportedAt: string }[];
  verification: Verification;
  officiallyAcknowledged: boolean;
  conflicts: { field: string; values: { value: string; sources: string[] }[] }[];
  possibleDuplicates: string[];
  mergedInto: string | null;
}

/** A possible duplicate as the page lists it: the incident itself, or only its id when the API did not find it. */
export interface DuplicateView {
  id: string;
  incident?: { type: string; occurredOn: string; occurredOnPrecision: string; location: string | null };
}

/**
 * The voices verificationInWords counts, as the alert mails count them: the listed sources, and the admin's one
 * voice, which the API does not list (docs/api.md) but which spoke when the incident was first the admin's, when it
 * gave a value of a conflict, or when the incident is corroborated with fewer independent sources listed.
 */
function voices(incident: VerifiedIncidentView): { id: string; name: string; kind: SourceKind }[] {
  const listed = incident.sources.map((s) => ({ id: s.id, name: s.name ?? s.id, kind: s.kind as SourceKind }));
  const counted = independentSources(listed.map(({ id, kind }) => ({ sourceId: id, kind })));
  const adminSpoke =
    incident.sourceId === null ||
    incident.conflicts.some((c) => c.values.some((v) => v.sources.includes(ADMIN_SOURCE_ID))) ||
    (incident.verification === 'corroborated' && counted < 2);
  return adminSpoke ? [...listed, { id: ADMIN_SOURCE_ID, name: ADMIN_SOURCE_ID, kind: 'hr_ngo' }] : listed;
}

/**
 * A table under the section's heading, named by it (a caption would repeat the heading); scrolls sideways on a
 * phone, like the console's other tables.
 */
function sectionTable(heading: string, head: string[], rows: Html[], empty = ''): Html {
  return rows.length
    ? html`<div class="scroll"><table aria-labelledby="${heading}"><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="muted">${empty}</p>`;
}

/** The verification and official acknowledgement, as rows of the incident's facts. */
export function verificationFacts(context: ConsoleContext, incident: VerifiedIncidentView): Html {
  const { t } = context;
  const words = verificationInWords(
    { verification: incident.verification, sources: voices(incident), conflicts: incident.conflicts },
    context.language,
  );
  return html`<dt>${t('admin.incident.verification')}</dt><dd id="incident-verification" class="status-${incident.verification}"${attributes({ 'data-verification': incident.verification })}>${words}</dd>
<dt>${t('admin.incident.acknowledged')}</dt><dd>${t(incident.officiallyAcknowledged ? 'admin.incident.acknowledgedYes' : 'admin.incident.acknowledgedNo')}</dd>`;
}

/** The registered sources that reported it: name, kind, what it cited, when its report came. */
export function sourcesTable(context: ConsoleContext, incident: VerifiedIncidentView): Html {
  const { t } = context;
  const rows = incident.sources.map(
    (
      s,
    ) => html`<tr><th scope="row"><span class="partner">${s.name ?? s.id}</span></th><td>${t(`admin.sourceKind.${s.kind}` as never)}</td>
<td>${s.url ? html`<a href="${s.url}" rel="noreferrer" dir="ltr">${s.url}</a>` : ''}</td><td>${momentWords(context, s.reportedAt)}</td></tr>`,
  );
  return html`<h2 id="sources">${t('admin.incident.sources')}</h2>
${sectionTable(
  'sources',
  [
    t('admin.incident.sourceName'),
    t('admin.incident.sourceKind'),
    t('admin.incident.sourceUrl'),
    t('admin.incident.reportedAt'),
  ],
  rows,
  t('admin.incident.noSources'),
)}`;
}

/** Who gave a conflict's value: the sources' names, "an admin" for the admin's voice. */
function givenBy(context: ConsoleContext, incident: VerifiedIncidentView, ids: string[]): string {
  const names = ids.map((id) =>
    id === ADMIN_SOURCE_ID
      ? context.t('admin.conflicts.admin')
      : (incident.sources.find((s) => s.id === id)?.name ?? id),
  );
  return names.join(context.language === 'fa' ? '، ' : ', ');
}

/**
 * Each open conflict with its values and who gave them, and the form that resolves it through
 * POST /v1/admin/incidents/{id}/resolve: one value stands, or the reports were two events ("separate").
 */
export function conflictsSection(context: ConsoleContext, incident: VerifiedIncidentView): Html {
  const { t } = context;
  if (!incident.conflicts.length) return html``;
  const sections = incident.conflicts.map((conflict) => {
    const id = `c-${conflict.field}`;
    const rows = conflict.values.map(
      (v) => html`<tr><td>${dateWords(context, v.value)}</td><td>${givenBy(context, incident, v.sources)}</td></tr>`,
    );
    const choices = conflict.values.map(
      (v, i) =>
        html`<div class="choice"><input type="radio" id="${id}-${i}" name="choice" value="${v.value}" required><label for="${id}-${i}">${t(
          'admin.conflicts.keep',
          { value: dateWords(context, v.value), sources: givenBy(context, incident, v.sources) },
        )}</label></div>`,
    );
    return html`<p>${t(`admin.conflicts.field.${conflict.field}` as never)}</p>
${sectionTable('conflicts', [t('admin.conflicts.value'), t('admin.conflicts.givenBy')], rows)}
${postForm(
  context,
  `/admin/incidents/${incident.id}/resolve`,
  // `choice` is a value of the conflict or the word "separate", which no value of a field can be.
  html`<input type="hidden" name="field" value="${conflict.field}">
<fieldset><legend>${t('admin.conflicts.choose')}</legend>${choices}
<div class="choice"><input type="radio" id="${id}-separate" name="choice" value="separate" required><label for="${id}-separate">${t('admin.conflicts.separate')}</label></div></fieldset>
<div class="field"><label for="${id}-note">${t('admin.conflicts.note')}</label><span class="hint" id="${id}-note-hint">${t('admin.conflicts.noteHint')}</span>
<textarea id="${id}-note" name="note" maxlength="2000" rows="2" aria-describedby="${id}-note-hint"></textarea></div>
<button type="submit">${t('admin.conflicts.resolve')}</button>`,
  t('admin.conflicts.resolve'),
)}`;
  });
  return html`<h2 id="conflicts">${t('admin.conflicts.title')}</h2>${sections}`;
}

/** The form's `choice` as the API's resolve body. */
export function resolutionFromForm(form: Record<string, string | string[] | undefined>): object {
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const choice = one(form.choice)?.trim();
  const note = one(form.note)?.trim();
  return {
    field: one(form.field) ?? '',
    ...(choice === 'separate' ? { separate: true } : choice ? { value: choice } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * Where it was merged, or its possible duplicates and the merge form (POST /v1/admin/incidents/{id}/merge): into
 * one of them with a button, or into any incident by its id.
 */
export function mergeSection(
  context: ConsoleContext,
  incident: VerifiedIncidentView,
  duplicates: DuplicateView[],
): Html {
  const { t } = context;
  if (incident.mergedInto) return html``;
  const note = (id: string) =>
    html`<div class="field"><label for="${id}">${t('admin.merge.note')}</label><textarea id="${id}" name="note" maxlength="2000" rows="2"></textarea></div>`;
  const rows = duplicates.map(
    (d, i) => html`<tr><td><a href="${to(context, `/admin/incidents/${d.id}`)}">${
      d.incident
        ? html`${t(`admin.type.${d.incident.type}` as never)} · ${dateWords(context, d.incident.occurredOn, d.incident.occurredOnPrecision)}`
        : html`<span dir="ltr">${d.id}</span>`
    }</a></td><td>${d.incident?.location ?? ''}</td>
<td>${postForm(
      context,
      `/admin/incidents/${incident.id}/merge`,
      html`<input type="hidden" name="into" value="${d.id}"><button type="submit" class="secondary"${attributes({ 'aria-describedby': `dup-${i}` })}>${t('admin.merge.intoThis')}</button><span id="dup-${i}" hidden>${d.id}</span>`,
    )}</td></tr>`,
  );
  return html`${
    duplicates.length
      ? html`<h2 id="duplicates">${t('admin.duplicates.title')}</h2><p>${t('admin.duplicates.body')}</p>
${sectionTable('duplicates', [t('admin.incident.type'), t('admin.incident.location'), t('admin.actions')], rows)}`
      : ''
  }
<h2>${t('admin.merge.title')}</h2>
${postForm(
  context,
  `/admin/incidents/${incident.id}/merge`,
  html`<div class="field"><label for="merge-into">${t('admin.merge.into')}</label><span class="hint" id="merge-into-hint">${t('admin.merge.intoHint')}</span>
<input type="text" id="merge-into" name="into" required maxlength="36" dir="ltr" autocomplete="off" aria-describedby="merge-into-hint"></div>
${note('merge-note')}
<button type="submit" class="danger">${t('admin.merge.button')}</button>`,
  t('admin.merge.title'),
)}`;
}

/** Notices at the top: where it was merged, the incident a separated report became, what the API refused. */
export function verificationNotices(context: ConsoleContext, incident: VerifiedIncidentView, refusal?: Refusal): Html {
  const { t } = context;
  const separatedAs = new URL(context.here, 'http://vigil.invalid').searchParams.get('separatedAs');
  return html`${
    refusal
      ? html`<div class="problem" role="alert"><p>${t('admin.incident.refused')} ${refusal.errors?.length ? '' : refusal.detail}</p>${
          refusal.errors?.length
            ? html`<ul>${refusal.errors.map((e) => html`<li>${e.path}: ${e.message}</li>`)}</ul>`
            : ''
        }</div>`
      : ''
  }${
    incident.mergedInto
      ? html`<div class="notice" id="merged-into"><p>${t('admin.incident.mergedInto')} <a href="${to(context, `/admin/incidents/${incident.mergedInto}`)}">${t('admin.incident.mergedIntoLink')}</a></p></div>`
      : ''
  }${
    separatedAs && isUUID(separatedAs)
      ? html`<p><a id="separated-as" href="${to(context, `/admin/incidents/${separatedAs}`)}">${t('admin.incident.separatedAs')}</a></p>`
      : ''
  }`;
}

/** The alerts about it (GET /v1/admin/deliveries?incidentId=), the newest first, with **Retry** for the dead. */
export function deliveriesSection(
  context: ConsoleContext,
  incident: VerifiedIncidentView,
  deliveries: { items: DeliveryView[]; nextCursor: string | null },
): Html {
  const { t } = context;
  return html`<h2 id="deliveries">${t('admin.incident.deliveries')}</h2>
${sectionTable('deliveries', deliveryHead(context), deliveryRows(context, deliveries.items), t('admin.incident.noDeliveries'))}
${deliveries.nextCursor ? html`<p><a href="${to(context, `/admin/deliveries?incidentId=${incident.id}`)}">${t('admin.incident.allDeliveries')}</a></p>` : ''}`;
}
