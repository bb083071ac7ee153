import { translate, type Language, type MessageKey } from '@vigil/i18n';
import type { Inline } from './mail-document';

/**
 * A catalogue message as mail content: `{placeholders}` filled with text (translate's rules: numbers in the
 * language's digits) or with inline runs — names a partner wrote stay runs, so the HTML part isolates their
 * direction and the text part wraps them in first-strong isolates.
 */
export function words(
  language: Language,
  key: MessageKey,
  values: Record<string, string | number | Inline[]> = {},
): Inline[] {
  const plain: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) if (!Array.isArray(value)) plain[name] = value;
  const message = translate(language, key, plain);
  return message
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .flatMap((part): Inline[] => {
      const run = /^\{(\w+)\}$/.exec(part);
      const value = run ? values[run[1]] : undefined;
      return Array.isArray(value) ? value : [part];
    });
}

/** The runs as one string (a subject line). */
export const asText = (content: Inline[]): string =>
  content.map((item) => (typeof item === 'string' ? item : item.text)).join('');
