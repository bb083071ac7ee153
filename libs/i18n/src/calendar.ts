import { toJalaali } from 'jalaali-js';
import { localDigits } from './digits';
import type { Language } from './languages';

const GREGORIAN_MONTHS: Record<Language, readonly string[]> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  fa: ['ژانویه', 'فوریه', 'مارس', 'آوریل', 'مه', 'ژوئن', 'ژوئیه', 'اوت', 'سپتامبر', 'اکتبر', 'نوامبر', 'دسامبر'],
};

const SOLAR_HIJRI_MONTHS: Record<Language, readonly string[]> = {
  en: [
    'Farvardin',
    'Ordibehesht',
    'Khordad',
    'Tir',
    'Mordad',
    'Shahrivar',
    'Mehr',
    'Aban',
    'Azar',
    'Dey',
    'Bahman',
    'Esfand',
  ],
  fa: ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'],
};

export interface CalendarDay {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

/** A Gregorian day (ISO `YYYY-MM-DD` or a Date, read in UTC) as the two calendars give it. */
export function bothCalendars(day: string | Date): { gregorian: CalendarDay; solarHijri: CalendarDay } {
  const [year, month, date] =
    typeof day === 'string'
      ? day.split('-').map(Number)
      : [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  const jalaali = toJalaali(year, month, date);
  return {
    gregorian: { year, month, day: date },
    solarHijri: { year: jalaali.jy, month: jalaali.jm, day: jalaali.jd },
  };
}

export const gregorianWords = (day: CalendarDay, language: Language): string =>
  localDigits(`${day.day} ${GREGORIAN_MONTHS[language][day.month - 1]} ${day.year}`, language);

export const solarHijriWords = (day: CalendarDay, language: Language): string =>
  localDigits(`${day.day} ${SOLAR_HIJRI_MONTHS[language][day.month - 1]} ${day.year}`, language);

export const gregorianMonthName = (month: number, language: Language): string =>
  GREGORIAN_MONTHS[language][month - 1] ?? String(month);

export const solarHijriMonthName = (month: number, language: Language): string =>
  SOLAR_HIJRI_MONTHS[language][month - 1] ?? String(month);

/**
 * A day in both calendars, the reader's own first: "1 December 2026 (10 Azar 1405)" in English,
 * "۱۰ آذر ۱۴۰۵ (۱ دسامبر ۲۰۲۶)" in Persian. Families count in one, courts and the press abroad in the other.
 */
export function dayInBothCalendars(day: string | Date, language: Language): string {
  const { gregorian, solarHijri } = bothCalendars(day);
  return language === 'fa'
    ? `${solarHijriWords(solarHijri, language)} (${gregorianWords(gregorian, language)})`
    : `${gregorianWords(gregorian, language)} (${solarHijriWords(solarHijri, language)})`;
}
