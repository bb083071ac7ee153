// The public API of @vigil/i18n: the languages Vigil speaks, their catalogues, digits and calendars. Pure: no I/O.
export { chooseLanguage, DEFAULT_LANGUAGE, directionOf, isLanguage, LANGUAGE_NAMES, LANGUAGES } from './languages';
export type { Language } from './languages';
export { CATALOGUES, placeholdersOf, translate, translatorFor } from './catalogue';
export type { Catalogue, MessageKey, Translate } from './catalogue';
export { localDigits } from './digits';
export {
  bothCalendars,
  dayInBothCalendars,
  gregorianMonthName,
  gregorianWords,
  solarHijriMonthName,
  solarHijriWords,
} from './calendar';
export type { CalendarDay } from './calendar';
