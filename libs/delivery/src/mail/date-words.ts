import { hasYear, type PartialDate } from '@vigil/domain';

const MONTHS = [
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
];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^--(\d{2})-(\d{2})$/;

interface Day {
  year: string;
  month: string;
  day: number;
}

function dayOf(iso: string): Day | undefined {
  const match = DAY.exec(iso);
  if (!match) return undefined;
  const month = MONTHS[Number(match[2]) - 1];
  return month ? { year: match[1], month, day: Number(match[3]) } : undefined;
}

/** "21 June – 21 July 2020", "21 December 2020 – 19 January 2021": the shared end is said once. */
function rangeWords(from: Day, to: Day): string {
  const end = `${to.day} ${to.month} ${to.year}`;
  if (from.year !== to.year) return `${from.day} ${from.month} ${from.year} – ${end}`;
  if (from.month !== to.month) return `${from.day} ${from.month} – ${end}`;
  return `${from.day} – ${end}`;
}

/**
 * The date in words at the report's precision and no finer: "21 June 2020", "June 2020", "2020".
 * A Jalali month or year is no Gregorian month or year, so it is said as the Gregorian days it spans,
 * followed by the date as the report gave it. A day without a year is "11 June, year unknown": no
 * Solar Hijri equivalent is given, since it depends on the year.
 */
export function dateWords(date: PartialDate): string {
  if (!hasYear(date)) {
    const match = MONTH_DAY.exec(date.value);
    const month = match && MONTHS[Number(match[1]) - 1];
    return match && month ? `${Number(match[2])} ${month}, year unknown` : date.value;
  }
  const from = dayOf(date.from);
  const to = dayOf(date.to);
  if (!from || !to) return date.value; // not a date this code wrote: show it as it is rather than guess
  let words: string;
  if (date.precision === 'day') words = `${from.day} ${from.month} ${from.year}`;
  else if (date.original) words = rangeWords(from, to);
  else words = date.precision === 'month' ? `${from.month} ${from.year}` : from.year;
  return date.original ? `${words} (${date.original.value} in the Solar Hijri calendar)` : words;
}
