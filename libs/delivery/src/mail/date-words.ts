import { hasYear, type PartialDate } from '@vigil/domain';
import { dayInBothCalendars, gregorianMonthName, localDigits, translate, type Language } from '@vigil/i18n';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^--(\d{2})-(\d{2})$/;

interface Day {
  year: string;
  month: string;
  day: number;
}

function dayOf(iso: string, language: Language): Day | undefined {
  const match = DAY.exec(iso);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return undefined;
  return { year: match[1], month: gregorianMonthName(Number(match[2]), language), day: Number(match[3]) };
}

/** "21 June – 21 July 2020", "21 December 2020 – 19 January 2021": the shared end is said once. */
function rangeWords(from: Day, to: Day): string {
  const end = `${to.day} ${to.month} ${to.year}`;
  if (from.year !== to.year) return `${from.day} ${from.month} ${from.year} – ${end}`;
  if (from.month !== to.month) return `${from.day} ${from.month} – ${end}`;
  return `${from.day} – ${end}`;
}

/**
 * The date in words at the report's precision and no finer, in the reader's language: a day in both calendars,
 * the reader's first ("21 June 2020 (31 Khordad 1399)", "۳۱ خرداد ۱۳۹۹ (۲۱ ژوئن ۲۰۲۰)"), else "June 2020",
 * "2020". A Jalali month or year is no Gregorian month or year, so it is said as the Gregorian days it spans,
 * followed by the date as the report gave it. A day without a year is "11 June, year unknown": no Solar Hijri
 * equivalent is given, since it depends on the year.
 */
export function dateWords(date: PartialDate, language: Language = 'en'): string {
  if (!hasYear(date)) {
    const match = MONTH_DAY.exec(date.value);
    if (!match || Number(match[1]) < 1 || Number(match[1]) > 12) return date.value;
    return translate(language, 'mail.date.yearUnknown', {
      day: Number(match[2]),
      month: gregorianMonthName(Number(match[1]), language),
    });
  }
  const from = dayOf(date.from, language);
  const to = dayOf(date.to, language);
  if (!from || !to) return date.value; // not a date this code wrote: show it as it is rather than guess
  let words: string;
  if (date.precision === 'day' && !date.original) return dayInBothCalendars(date.from, language);
  if (date.precision === 'day') words = `${from.day} ${from.month} ${from.year}`;
  else if (date.original) words = rangeWords(from, to);
  else words = date.precision === 'month' ? `${from.month} ${from.year}` : from.year;
  words = localDigits(words, language);
  return date.original
    ? translate(language, 'mail.date.solarHijri', { date: words, original: localDigits(date.original.value, language) })
    : words;
}
