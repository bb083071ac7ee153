export { newestOccurredFirst, occurredKey } from './occurred-order';
export { createProjections } from './projections';
