import { en } from './messages/en';
import { fa } from './messages/fa';
import { localDigits } from './digits';
import type { Language } from './languages';

/** Every string a person sees, by key; English is the reference every other catalogue must match. */
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const CATALOGUES: Record<Language, Catalogue> = { en, fa };

const PLACEHOLDER = /\{(\w+)\}/g;

/** The `{name}` placeholders a message takes. */
export const placeholdersOf = (message: string): string[] =>
  [...message.matchAll(PLACEHOLDER)].map((match) => match[1]).sort();

/**
 * The message in the language, its `{placeholders}` filled. Numbers are written in the language's digits;
 * strings are put in as they are (a name keeps its own digits). A key missing in a catalogue is a bug the
 * catalogue test catches, so it falls back to English rather than show a key to a person.
 */
export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  const message = CATALOGUES[language][key] ?? en[key];
  return message.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? localDigits(value, language) : value;
  });
}

/** A translator bound to one language, as pages and mails use it. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export const translatorFor =
  (language: Language): Translate =>
  (key, values) =>
    translate(language, key, values);
