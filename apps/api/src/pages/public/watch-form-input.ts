import type { FieldError } from '../../http/validation-errors';
import { isLanguage, type Language, type MessageKey } from '@vigil/i18n';
import type { FieldErrors, WatchFormValues } from './watch-fields';

/** A form field as Fastify parses it: absent, one value, or several when the name repeats. */
type FormValue = string | string[] | undefined;

/** The field's text values; anything else (a JSON body posted here instead of a form) counts as absent. */
const all = (value: unknown): string[] => [value].flat().filter((item): item is string => typeof item === 'string');
const one = (value: unknown): string | undefined => all(value)[0];

/**
 * The subscribe and manage forms' fields as the values to show again and the JSON body the API takes, so the
 * form goes through the same DTO rules and command handlers as `POST /v1/subscriptions`. Empty name fields are
 * dropped; an unknown language or level is passed on for the DTO to refuse.
 */
export function readWatchForm(
  body: Record<string, FormValue>,
  fallbackLanguage: Language,
): { values: WatchFormValues; request: Record<string, unknown> } {
  const names = (value: FormValue) =>
    all(value)
      .map((name) => name.trim())
      .filter(Boolean);
  const language = one(body.language);
  const content = one(body.content);
  const values: WatchFormValues = {
    email: one(body.email)?.trim(),
    persons: names(body.persons),
    organizations: names(body.organizations),
    types: all(body.types),
    language: isLanguage(language) ? language : fallbackLanguage,
    content: content === 'minimal' ? 'minimal' : 'full',
  };
  const request: Record<string, unknown> = {
    watch: { persons: values.persons, organizations: values.organizations },
    ...(values.types.length ? { types: values.types } : {}),
    language: language ?? fallbackLanguage,
    content: content ?? 'full',
  };
  return { values, request };
}

/** The API's field errors as the form's messages, by path. */
export function formErrors(errors: FieldError[]): FieldErrors {
  const messages: FieldErrors = new Map();
  for (const { path } of errors) {
    let key: MessageKey = 'subscribe.error.other';
    if (path === 'email') key = 'subscribe.error.email';
    else if (path === 'watch' || path === 'watch.persons' || path === 'watch.organizations')
      key = 'subscribe.error.watch';
    else if (/^watch\.(persons|organizations)\[\d+\]$/.test(path)) key = 'subscribe.error.name';
    messages.set(path.startsWith('watch.') && key === 'subscribe.error.watch' ? 'watch' : path, key);
  }
  return messages;
}
