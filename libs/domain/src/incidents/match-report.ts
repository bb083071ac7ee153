import { hasYear, type DatedPartialDate, type PartialDate } from '../dates/partial-date';
import type { IncidentTypeName } from './incident-types';

/**
 * The matching rule (docs/architecture.md, "Matching"): whether a report speaks of an incident already
 * recorded. Pure: the intake reads the candidates (incidents of the same type naming one of the report's
 * persons, or organisations when it names none) and asks this rule what to do with the report.
 */

/** What the rule reads of a report or of an incident. */
export interface MatchSubject {
  type: IncidentTypeName;
  /** Every value the date may have: one, or several while sources disagree on it (an open conflict). */
  occurredOn: readonly PartialDate[];
  personIds: readonly string[];
  organizationIds: readonly string[];
  details: Readonly<Record<string, unknown>>;
}

export interface MatchCandidate extends MatchSubject {
  incidentId: string;
  /** Retracted and merged-away incidents match nothing: a retraction says it did not happen as told. */
  open: boolean;
}

/**
 * How a report stands to one incident:
 * - `same`: the same event (same type, a shared person, dates equal at the coarser precision);
 * - `date_conflict`: the same type and persons, days 1 to 3 apart: the same event, sources disagree;
 * - `possible_duplicate`: maybe the same event, for an admin to judge (a day without a year and a dated
 *   day of the same month and day): recorded apart, listed as possible duplicates;
 * - `different`: another event.
 */
export type IncidentMatch = 'same' | 'date_conflict' | 'possible_duplicate' | 'different';

/** What to do with a report, given the incidents it was compared with. */
export type ReportMatch =
  | { kind: 'new'; possibleDuplicates: string[] }
  | { kind: 'same'; incidentId: string }
  | { kind: 'date_conflict'; incidentId: string };

/** Days a conflicting date may be apart from the incident's: two reports of one arrest "on 5 or 6 September". */
export const CONFLICT_WINDOW_DAYS = 3;

/**
 * Details that tell two events of one type and day apart. Without them a court that sentences a founder
 * and the same court dissolving her society the same day, or a raid and a summons, would be one incident.
 */
const DISTINGUISHING_DETAILS: Partial<Record<IncidentTypeName, string>> = {
  ruling: 'outcome',
  harassment: 'kind',
};

const intersects = (a: readonly string[], b: readonly string[]): boolean => a.some((id) => b.includes(id));

/** Whether they are about the same persons, or organisations when neither names a person. */
function shareSubjects(report: MatchSubject, incident: MatchSubject): boolean {
  if (report.personIds.length && incident.personIds.length) return intersects(report.personIds, incident.personIds);
  if (report.personIds.length || incident.personIds.length) return false;
  return intersects(report.organizationIds, incident.organizationIds);
}

/**
 * Whether they name the same persons (organisations when neither names a person), one maybe fewer than
 * the other: a second source often knows only some of the names.
 */
function samePersons(report: MatchSubject, incident: MatchSubject): boolean {
  const [a, b] = report.personIds.length
    ? [report.personIds, incident.personIds]
    : [report.organizationIds, incident.organizationIds];
  return a.every((id) => b.includes(id)) || b.every((id) => a.includes(id));
}

const PRECISION_WIDTH = { day: 0, month: 1, year: 2 } as const;

/** Dated dates are equal at the coarser precision when the coarser one's range holds the finer one's. */
function equalAtCoarser(a: DatedPartialDate, b: DatedPartialDate): boolean {
  const [coarse, fine] = PRECISION_WIDTH[a.precision] >= PRECISION_WIDTH[b.precision] ? [a, b] : [b, a];
  if (coarse.precision === fine.precision) return coarse.from === fine.from && coarse.to === fine.to;
  return coarse.from <= fine.from && fine.to <= coarse.to;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const daysApart = (a: string, b: string): number => Math.abs(Date.parse(a) - Date.parse(b)) / DAY_MS;

/** How two dates stand: equal at the coarser precision, a few days apart, a yearless day like a dated one, or apart. */
function compareDates(a: PartialDate, b: PartialDate): 'equal' | 'near' | 'same_month_day' | 'apart' {
  if (!hasYear(a) || !hasYear(b)) {
    if (!hasYear(a) && !hasYear(b)) return a.value === b.value ? 'equal' : 'apart';
    // A day without a year never matches a dated one by year: "11 June" may be any year's.
    const [monthDay, dated] = hasYear(a) ? [b, a] : [a, b];
    return dated.precision === 'day' && dated.value.slice(4) === monthDay.value.slice(1) ? 'same_month_day' : 'apart';
  }
  if (equalAtCoarser(a, b)) return 'equal';
  if (a.precision === 'day' && b.precision === 'day' && daysApart(a.from, b.from) <= CONFLICT_WINDOW_DAYS) {
    return 'near';
  }
  return 'apart';
}

/** How a report stands to one incident (see IncidentMatch). */
export function matchIncident(report: MatchSubject, incident: MatchCandidate): IncidentMatch {
  if (!incident.open || report.type !== incident.type) return 'different';
  const detail = DISTINGUISHING_DETAILS[report.type];
  if (detail !== undefined && report.details[detail] !== incident.details[detail]) return 'different';
  if (!shareSubjects(report, incident)) return 'different';
  const comparisons = report.occurredOn.flatMap((mine) =>
    incident.occurredOn.map((theirs) => compareDates(mine, theirs)),
  );
  if (comparisons.includes('equal')) return 'same';
  if (comparisons.includes('near') && samePersons(report, incident)) return 'date_conflict';
  if (comparisons.includes('same_month_day')) return 'possible_duplicate';
  return 'different';
}

/**
 * What to do with a report: the one incident it is (`same`), the one it disputes a date of
 * (`date_conflict`), or a new incident, listing as possible duplicates every incident it might be when
 * the rule cannot pick one (several matches, several conflicts, or a yearless day like a dated one).
 * Candidates are compared in the order given; the answer does not depend on it.
 */
export function matchReport(report: MatchSubject, candidates: readonly MatchCandidate[]): ReportMatch {
  const verdicts = candidates.map((candidate) => ({
    id: candidate.incidentId,
    match: matchIncident(report, candidate),
  }));
  const ids = (match: IncidentMatch) => verdicts.filter((v) => v.match === match).map((v) => v.id);
  const same = ids('same');
  if (same.length === 1) return { kind: 'same', incidentId: same[0] };
  if (same.length > 1) return { kind: 'new', possibleDuplicates: [...same].sort() };
  const conflicts = ids('date_conflict');
  if (conflicts.length === 1) return { kind: 'date_conflict', incidentId: conflicts[0] };
  return { kind: 'new', possibleDuplicates: [...conflicts, ...ids('possible_duplicate')].sort() };
}

/**
 * Where the dates of the incidents a report dated `date` may be lie, so that the intake reads only those
 * (docs/decisions/0036-candidates-read-by-date.md). Wider than the rule, never narrower: matchIncident decides
 * on what is read. An incident's date is read as its Gregorian range (none for a day without a year) and, for a
 * day with or without a year, its month and day; it is a candidate when its range reaches into `from`..`to`, or
 * when it has `monthDay` and one of the two is a day without a year.
 */
export interface MatchDateWindow {
  /** The first and last Gregorian day of the report's range, a day's widened by the conflict window. */
  from?: string;
  to?: string;
  /** `-MM-DD` of a day, with or without a year: how a dated day and a day without a year compare. */
  monthDay?: string;
}

const shiftDays = (day: string, days: number): string =>
  new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);

/** The window of incident dates a report's date can match (see MatchDateWindow). */
export function matchDateWindow(date: PartialDate): MatchDateWindow {
  if (!hasYear(date)) return { monthDay: date.value.slice(1) };
  if (date.precision !== 'day') return { from: date.from, to: date.to };
  return {
    from: shiftDays(date.from, -CONFLICT_WINDOW_DAYS),
    to: shiftDays(date.to, CONFLICT_WINDOW_DAYS),
    monthDay: date.value.slice(4),
  };
}
