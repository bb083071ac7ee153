export { newestOccurredFirst, occurredKey, yearKnown } from './occurred-order';
export { createProjections } from './projections';
export { latestStatusFirst, statusKey } from './occurred-order';
export { reviewItemIdSql } from './review-items';
