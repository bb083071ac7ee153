export type { Consumer, Projection } from './consumer';
export { ConsumerRunner } from './consumer-runner';
export type { ConsumerRunnerOptions } from './consumer-runner';
export { readModelsStamp, readModelsStampSql } from './consumer-checkpoints';
export { readLogStatus } from './consumer-status';
export type { ConsumerStatusReport, HorizonHolder, LogStatus } from './consumer-status';
export { rebuildProjection } from './rebuild-projection';
export { resumeConsumer } from './resume-consumer';
export { CONSUMER_LAG_MAX_AGE_MS, ConsumerLagGauge } from './consumer-lag.gauge';
export type { ConsumerLagOptions } from './consumer-lag.gauge';
export {
  applyMergeEvents,
  mergedInto,
  mergeGroupsSql,
  recordMerge,
  recordUnmerge,
  rootOf,
  rootOfSql,
} from './merge-forest';
export type { MergeForestTable } from './merge-forest';
