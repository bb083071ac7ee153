/** The languages Vigil speaks to people in: its pages, its mails, every visible string (docs/api.md, "Pages"). */
export const LANGUAGES = ['en', 'fa'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** Persian is written right to left; the whole page or mail turns with it. */
export const directionOf = (language: Language): 'ltr' | 'rtl' => (language === 'fa' ? 'rtl' : 'ltr');

/** Each language's name in itself, for the switch shown on every page. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fa: 'فارسی' };

/**
 * `?lang=` when it names a language Vigil speaks, else the first such language of `Accept-Language` by its
 * weight (`fa-IR` counts as `fa`), else English.
 */
export function chooseLanguage(asked: unknown, acceptLanguage: string | undefined): Language {
  if (isLanguage(asked)) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';');
      const weight = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0], q: weight === undefined ? 1 : Number(weight), index };
    })
    .filter((entry) => isLanguage(entry.language) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.language as Language | undefined) ?? DEFAULT_LANGUAGE;
}
