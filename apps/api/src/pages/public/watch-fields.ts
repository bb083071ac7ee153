import { INCIDENT_TYPE_NAMES, type IncidentTypeName } from '@vigil/domain';
import { LANGUAGES, type Language, type MessageKey } from '@vigil/i18n';
import type { MailContent } from '@vigil/alerts';
import { attributes, html, type Html, type PageContext } from '../foundation';

/** What the subscribe and manage forms show and send back: the choices of a subscription, as text. */
export interface WatchFormValues {
  email?: string;
  persons: string[];
  organizations: string[];
  types: string[];
  language: Language;
  content: MailContent;
}

/** A refused form: the message per field path ('email', 'watch', 'watch.persons[0]' …) as the API names them. */
export type FieldErrors = Map<string, MessageKey>;

const CONTENT_LEVELS: MailContent[] = ['full', 'minimal'];
/** Empty fields shown beyond the names already there: with scripts off, this many names can be added at once. */
const EMPTY_NAME_FIELDS = { person: 3, organization: 2 };

const errorOf = (errors: FieldErrors, path: string, context: PageContext): Html | '' => {
  const key = errors.get(path);
  return key ? html`<span class="error" id="${path}-error">${context.t(key)}</span>` : '';
};

function nameGroup(context: PageContext, kind: 'person' | 'organization', values: string[], errors: FieldErrors): Html {
  const { t } = context;
  const field = kind === 'person' ? 'persons' : 'organizations';
  const shown = [...values, ...Array<string>(EMPTY_NAME_FIELDS[kind]).fill('')];
  const inputs = shown.map((value, index) => {
    const error = errors.get(`watch.${field}[${index}]`);
    return html`${error ? html`<span class="error" id="${field}-${index}-error">${t(error)}</span>` : ''}<input type="text"${attributes(
      {
        name: field,
        value,
        maxlength: 200,
        autocomplete: 'off',
        // A name in Latin letters on a Persian page, or the other way round, reads in its own direction.
        dir: 'auto',
        list: `${kind}-suggestions`,
        'data-suggest': kind,
        'aria-labelledby': `${field}-label`,
        'aria-describedby': error ? `${field}-hint ${field}-${index}-error` : `${field}-hint`,
        'aria-invalid': error ? 'true' : undefined,
      },
    )}>`;
  });
  return html`<div class="field" id="${field}-group">
<span class="label" id="${field}-label">${t(`subscribe.${field}.label`)}</span>
<span class="hint" id="${field}-hint">${t(`subscribe.${field}.hint`)}</span>
${inputs}
<datalist id="${kind}-suggestions"></datalist>
<button type="button" class="secondary" data-more="${field}-group" hidden>${t('subscribe.more')}</button>
</div>`;
}

/** The watch list, types, language and content level: the same fields on the subscribe and the manage form. */
export function watchFields(context: PageContext, values: WatchFormValues, errors: FieldErrors): Html {
  const { t } = context;
  const chosen = new Set(values.types);
  return html`${errorOf(errors, 'watch', context)}
${nameGroup(context, 'person', values.persons, errors)}
${nameGroup(context, 'organization', values.organizations, errors)}
<fieldset><legend>${t('subscribe.types.legend')}</legend>
<span class="hint">${t('subscribe.types.hint')}</span>
${INCIDENT_TYPE_NAMES.map(
  (type: IncidentTypeName) =>
    html`<label class="choice"><input type="checkbox" name="types"${attributes({ value: type, checked: chosen.has(type) })}> ${t(`type.${type}`)}</label>`,
)}
</fieldset>
<fieldset><legend>${t('subscribe.language.legend')}</legend>
${LANGUAGES.map(
  (language) =>
    html`<label class="choice"><input type="radio" name="language"${attributes({ value: language, checked: values.language === language })}> ${t(`language.${language}`)}</label>`,
)}
</fieldset>
<fieldset><legend>${t('subscribe.content.legend')}</legend>
${CONTENT_LEVELS.map(
  (level) =>
    html`<label class="choice"><input type="radio" name="content"${attributes({ value: level, checked: values.content === level })}> ${t(`content.${level}`)}</label>`,
)}
</fieldset>`;
}

/** The error summary at the top of a refused form, each entry in the visitor's language. */
export function errorSummary(context: PageContext, errors: FieldErrors): Html | '' {
  if (!errors.size) return '';
  const messages = [...new Set(errors.values())];
  return html`<div class="problem" role="alert"><p>${context.t('subscribe.errors')}</p><ul>${messages.map(
    (key) => html`<li>${context.t(key)}</li>`,
  )}</ul></div>`;
}
