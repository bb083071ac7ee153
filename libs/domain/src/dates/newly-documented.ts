import { hasYear, type PartialDate } from './partial-date';

/** How long after the fact a report makes the incident newly documented rather than news (docs/api.md). */
export const NEWLY_DOCUMENTED_AFTER_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether an incident occurred more than 30 days before it was recorded. It is measured from the last day
 * the date may mean (`to`): "June 2020" recorded on 15 July 2020 may have happened on 30 June, so it is not.
 * A day without a year can never be known to be old: false.
 */
export function isNewlyDocumented(occurredOn: PartialDate, recordedAt: Date): boolean {
  if (!hasYear(occurredOn)) return false;
  const lastDay = Date.parse(`${occurredOn.to}T00:00:00Z`);
  const recordedDay = Date.UTC(recordedAt.getUTCFullYear(), recordedAt.getUTCMonth(), recordedAt.getUTCDate());
  return recordedDay - lastDay > NEWLY_DOCUMENTED_AFTER_DAYS * DAY_MS;
}
