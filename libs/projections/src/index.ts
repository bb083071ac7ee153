export { createProjections } from './projections';
