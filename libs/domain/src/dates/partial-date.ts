import { isValidJalaaliDate, jalaaliMonthLength, toGregorian } from 'jalaali-js';
import { InvalidPartialDateError } from './invalid-partial-date.error';

export type DatePrecision = 'year' | 'month' | 'day';
/** A day and month whose year is unknown (`--MM-DD`, XML Schema's gMonthDay): the Hamedan executions "on 11 June". */
export type MonthDayPrecision = 'month-day';
export type Calendar = 'gregorian' | 'jalali';

/**
 * A date known to a year, a month or a day (a day without a year is a MonthDay, below): the precision is
 * the report's, never invented.
 *
 * `from`/`to` are the first and last Gregorian day the date may mean, so ranges compare across calendars
 * (the read models order incidents by them: see libs/projections/src/occurred-order.ts).
 * `value` is what is shown: 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD' for a Gregorian report. A Jalali day is
 * one Gregorian day, so its value is that day. A Jalali month or year does not line up with Gregorian
 * ones (1399-04 is 2020-06-21 … 2020-07-21), so naming a Gregorian month would invent a precision the
 * report does not have: its value is the ISO 8601 interval `${from}/${to}`, its precision stays the
 * report's ('month'/'year'), and `original` keeps the Jalali text as reported.
 */
/** A date with a year: a Gregorian range. */
export interface DatedPartialDate {
  value: string;
  precision: DatePrecision;
  from: string;
  to: string;
  original?: { calendar: 'jalali'; value: string };
}

/**
 * A day without a year (`--06-11`). It has no Gregorian range: it never compares with a dated report by
 * year, sorts after every dated incident, and gives a person's status only when nothing dated does
 * (libs/projections/src/occurred-order.ts; docs/architecture.md, "Dates").
 */
export interface MonthDay {
  value: string;
  precision: MonthDayPrecision;
}

export type PartialDate = DatedPartialDate | MonthDay;

/** Whether the date has a year, and so a Gregorian range (`from`/`to`). */
export function hasYear(date: PartialDate): date is DatedPartialDate {
  return date.precision !== 'month-day';
}

const MONTH_DAY = /^--(\d{2})-(\d{2})$/;
/** The longest each month can be in some year: 29 February is a day of a leap year. */
const LONGEST_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseMonthDay(text: string, calendar: Calendar): MonthDay {
  if (calendar === 'jalali') {
    // 1 Farvardin is 20 or 21 March depending on the year: without one there is no Gregorian day to store.
    throw new InvalidPartialDateError(text, 'a Jalali day without a year has no Gregorian equivalent');
  }
  const [, monthText, dayText] = MONTH_DAY.exec(text)!;
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12) throw new InvalidPartialDateError(text, 'the month must be between 01 and 12');
  const length = LONGEST_MONTH[month - 1];
  if (day < 1 || day > length) throw new InvalidPartialDateError(text, `that month has at most ${length} days`);
  return { value: text, precision: 'month-day' };
}

const SHAPE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const MIN_YEAR = 1000;
const MAX_GREGORIAN_YEAR = 9999;
const MAX_JALALI_YEAR = 3177; // the last year jalaali-js converts

interface Parts {
  year: number;
  month?: number;
  day?: number;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function isoDay(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function gregorianMonthLength(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function precisionOf(parts: Parts): DatePrecision {
  if (parts.day !== undefined) return 'day';
  return parts.month !== undefined ? 'month' : 'year';
}

function splitParts(text: string, maxYear: number): Parts {
  const match = SHAPE.exec(text);
  if (!match) throw new InvalidPartialDateError(text, 'expected YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD');
  const [, yearText, monthText, dayText] = match;
  const year = Number(yearText);
  const month = monthText === undefined ? undefined : Number(monthText);
  const day = dayText === undefined ? undefined : Number(dayText);
  if (year < MIN_YEAR || year > maxYear) {
    throw new InvalidPartialDateError(text, `the year must be between ${MIN_YEAR} and ${maxYear}`);
  }
  if (month !== undefined && (month < 1 || month > 12)) {
    throw new InvalidPartialDateError(text, 'the month must be between 01 and 12');
  }
  return { year, month, day };
}

function parseGregorian(text: string): DatedPartialDate {
  const { year, month, day } = splitParts(text, MAX_GREGORIAN_YEAR);
  if (month === undefined) return { value: text, precision: 'year', from: `${text}-01-01`, to: `${text}-12-31` };
  const length = gregorianMonthLength(year, month);
  if (day === undefined) {
    return { value: text, precision: 'month', from: `${text}-01`, to: `${text}-${pad(length)}` };
  }
  if (day < 1 || day > length) throw new InvalidPartialDateError(text, `that month has ${length} days`);
  return { value: text, precision: 'day', from: text, to: text };
}

function jalaliToIso(year: number, month: number, day: number): string {
  const { gy, gm, gd } = toGregorian(year, month, day);
  return isoDay(gy, gm, gd);
}

function parseJalali(text: string): DatedPartialDate {
  const parts = splitParts(text, MAX_JALALI_YEAR);
  const { year } = parts;
  if (parts.day !== undefined && !isValidJalaaliDate(year, parts.month!, parts.day)) {
    throw new InvalidPartialDateError(text, `that Jalali month has ${jalaaliMonthLength(year, parts.month!)} days`);
  }
  const lastMonth = parts.month ?? 12;
  const from = jalaliToIso(year, parts.month ?? 1, parts.day ?? 1);
  const to = jalaliToIso(year, lastMonth, parts.day ?? jalaaliMonthLength(year, lastMonth));
  const precision = precisionOf(parts);
  return {
    value: precision === 'day' ? from : `${from}/${to}`,
    precision,
    from,
    to,
    original: { calendar: 'jalali', value: text },
  };
}

/** Parses a reported date; throws InvalidPartialDateError for a malformed text or a day that does not exist. */
export function parsePartialDate(text: string, calendar: Calendar = 'gregorian'): PartialDate {
  if (MONTH_DAY.test(text)) return parseMonthDay(text, calendar);
  return calendar === 'jalali' ? parseJalali(text) : parseGregorian(text);
}
