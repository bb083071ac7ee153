export type { Consumer, Projection } from './consumer';
export { ConsumerRunner } from './consumer-runner';
export type { ConsumerRunnerOptions } from './consumer-runner';
export { readLogStatus } from './consumer-status';
export type { ConsumerStatusReport, HorizonHolder, LogStatus } from './consumer-status';
export { rebuildProjection } from './rebuild-projection';
export { resumeConsumer } from './resume-consumer';
