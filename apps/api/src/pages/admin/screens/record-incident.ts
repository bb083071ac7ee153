import { randomUUID } from 'node:crypto';
import { HARASSMENT_KINDS, INCIDENT_TYPE_NAMES, RULING_OUTCOMES } from '@vigil/domain';
import { attributes, html, type Html } from '../../foundation';
import { consolePage, postForm, type ConsoleContext } from './console-page';

/** The record form as posted: every field a string (or several, for names), as a browser sends them. */
export type ReportForm = Record<string, string | string[] | undefined>;

/** The details each type takes (docs/api.md, "Incident reports"); the form shows them all, the type picks. */
const DETAILS: Record<string, readonly string[]> = {
  arrest: ['authority', 'facility'],
  release: ['conditions'],
  ruling: ['court', 'branch', 'judge', 'outcome', 'sentence'],
  execution: ['facility', 'charges'],
  harassment: ['kind'],
};

const text = (value: string | string[] | undefined): string | undefined => {
  const one = (Array.isArray(value) ? value[0] : value)?.trim();
  return one ? one : undefined;
};
const texts = (value: string | string[] | undefined): string[] =>
  [value ?? []]
    .flat()
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The report body of POST /v1/admin/incidents from the form: the same fields, empty ones left out, so the API
 * judges the report exactly as it judges one sent as JSON (and answers its errors by field name).
 */
export function reportFromForm(form: ReportForm): object {
  const type = text(form.type) ?? '';
  const details: Record<string, string | string[]> = {};
  for (const name of DETAILS[type] ?? []) {
    if (name === 'charges') {
      const charges = texts(form.charges)
        .flatMap((c) => c.split(/[,،\n]/))
        .map((c) => c.trim())
        .filter(Boolean);
      if (charges.length) details.charges = charges;
    } else {
      const value = text(form[name]);
      if (value) details[name] = value;
    }
  }
  const sourceName = text(form.sourceName);
  return {
    type,
    occurredOn: text(form.occurredOn) ?? '',
    ...(text(form.calendar) === 'jalali' ? { calendar: 'jalali' } : {}),
    persons: texts(form.persons).map((name) => ({ name })),
    organizations: texts(form.organizations).map((name) => ({ name })),
    ...(text(form.location) ? { location: text(form.location) } : {}),
    details,
    ...(text(form.summary) ? { summary: text(form.summary) } : {}),
    ...(sourceName
      ? {
          source: {
            name: sourceName,
            ...(text(form.sourceUrl) ? { url: text(form.sourceUrl) } : {}),
            status: text(form.sourceStatus) ?? 'unconfirmed',
          },
        }
      : {}),
  };
}

/** The Idempotency-Key the form carries: a report sent twice (a double click, a reload) is recorded once. */
export const idempotencyKeyOf = (form: ReportForm): string | undefined => text(form.idempotencyKey);

export function recordIncidentPage(
  context: ConsoleContext,
  form: ReportForm = {},
  errors: { path: string; message: string }[] = [],
): Html {
  const { t } = context;
  const value = (name: string) => text(form[name]);
  const input = (name: string, label: string, extra: Record<string, string | number | boolean | undefined> = {}) =>
    html`<div class="field"><label for="r-${name}">${label}</label><input type="text" id="r-${name}" name="${name}"${attributes({ value: value(name), ...extra })}></div>`;
  const select = (
    name: string,
    label: string,
    options: readonly string[],
    words: (o: string) => string,
    blank = true,
  ) =>
    html`<div class="field"><label for="r-${name}">${label}</label><select id="r-${name}" name="${name}">${blank ? html`<option value=""></option>` : ''}${options.map(
      (o) => html`<option${attributes({ value: o, selected: value(name) === o })}>${words(o)}</option>`,
    )}</select></div>`;
  const names = (name: 'persons' | 'organizations', label: string, kind: string) => {
    const given = texts(form[name]);
    const inputs = (given.length ? given : ['']).map(
      (v, i) =>
        html`<input type="text" name="${name}" maxlength="200" list="r-${name}-list" data-suggest="${kind}"${attributes({ value: v || undefined, id: i === 0 ? `r-${name}` : undefined, 'aria-label': i === 0 ? undefined : label })}>`,
    );
    return html`<div class="field" id="r-${name}-group"><label for="r-${name}">${label}</label>${inputs}<datalist id="r-${name}-list"></datalist>
<button type="button" class="secondary" data-more="r-${name}-group" hidden>${t('admin.record.another')}</button></div>`;
  };
  const problems = errors.length
    ? html`<div class="problem" role="alert"><p>${t('error.invalid.title')}</p><ul>${errors.map((e) => html`<li>${e.path}: ${e.message}</li>`)}</ul></div>`
    : '';
  return consolePage(
    context,
    'record',
    t('admin.record.title'),
    html`${problems}
${postForm(
  context,
  '/admin/incidents',
  html`<input type="hidden" name="idempotencyKey" value="${value('idempotencyKey') ?? randomUUID()}">
${select('type', t('admin.incident.type'), INCIDENT_TYPE_NAMES, (o) => t(`admin.type.${o}` as never), false)}
<fieldset><legend>${t('admin.incident.occurredOn')}</legend>
<div class="field"><label for="r-occurredOn">${t('admin.record.date')}</label><span class="hint" id="r-date-hint">${t('admin.record.dateHint')}</span>
<input type="text" id="r-occurredOn" name="occurredOn" required maxlength="10" dir="ltr" aria-describedby="r-date-hint"${attributes({ value: value('occurredOn') })}></div>
<div class="choice"><input type="radio" id="r-gregorian" name="calendar" value="gregorian"${attributes({ checked: value('calendar') !== 'jalali' })}><label for="r-gregorian">${t('admin.record.gregorian')}</label></div>
<div class="choice"><input type="radio" id="r-jalali" name="calendar" value="jalali"${attributes({ checked: value('calendar') === 'jalali' })}><label for="r-jalali">${t('admin.record.jalali')}</label></div>
</fieldset>
${names('persons', t('admin.incident.persons'), 'person')}
${names('organizations', t('admin.incident.organizations'), 'organization')}
${input('location', t('admin.incident.location'), { maxlength: 200 })}
<div class="field"><label for="r-summary">${t('admin.incident.summary')}</label><textarea id="r-summary" name="summary" rows="3" maxlength="4000">${value('summary') ?? ''}</textarea></div>
<fieldset><legend>${t('admin.record.details')}</legend><p class="hint">${t('admin.record.detailsHint')}</p>
${input('authority', t('admin.detail.authority'))}
${input('facility', t('admin.detail.facility'))}
${input('conditions', t('admin.detail.conditions'))}
${input('court', t('admin.detail.court'))}
${input('branch', t('admin.detail.branch'))}
${input('judge', t('admin.detail.judge'))}
${select('outcome', t('admin.detail.outcome'), RULING_OUTCOMES, (o) => t(`admin.outcome.${o}` as never))}
${input('sentence', t('admin.detail.sentence'))}
${input('charges', t('admin.detail.charges'))}
${select('kind', t('admin.detail.kind'), HARASSMENT_KINDS, (o) => t(`admin.harassment.${o}` as never))}
</fieldset>
<fieldset><legend>${t('admin.incident.source')}</legend>
${input('sourceName', t('admin.record.sourceName'), { maxlength: 200 })}
<div class="field"><label for="r-sourceUrl">${t('admin.record.sourceUrl')}</label><input type="url" id="r-sourceUrl" name="sourceUrl" dir="ltr"${attributes({ value: value('sourceUrl') })}></div>
${select('sourceStatus', t('admin.record.sourceStatus'), ['unconfirmed', 'confirmed'], (o) => t(`admin.sourceStatus.${o}` as never), false)}
</fieldset>
<div class="actions"><button type="submit">${t('admin.record.button')}</button></div>`,
)}`,
    // suggest.js: names Vigil knows as one types, and "add another" name.
    { script: true },
  );
}
