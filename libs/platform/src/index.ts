export { ConfigError } from './config/config.error';
export {
  CONFIG_VARIABLES,
  DEFAULT_DATABASE_POOL_SIZE,
  isHashTag,
  LOG_LEVELS,
  loadConfig,
  loadDatabaseUrl,
} from './config/vigil-config';
export type { LogLevel, RedisNode, TrustProxy, VigilConfig } from './config/vigil-config';
export {
  LOCK_CLASS_CONFIRMATION_MAILS,
  LOCK_CLASS_CONSUMERS,
  LOCK_CLASS_INCIDENT_MATCHES,
  LOCK_CLASS_MIGRATIONS,
  LOCK_CLASS_SUBSCRIBER_ERASURE,
} from './database/advisory-locks';
export {
  connectionBudget,
  POSTGRES_DEFAULT_MAX_CONNECTIONS,
  POSTGRES_RESERVED_CONNECTIONS,
} from './database/connection-budget';
export { createDataSource } from './database/data-source';
export { ensureDatabaseExists, migrateDatabase } from './database/migrate-database';
export { DEFAULT_DATABASE_TIMEOUTS, PG_POOL, createPgPool } from './database/pg-pool';
export type { DatabaseTimeouts, PlanCacheMode } from './database/pg-pool';
export { DependencyUnavailableError, isDependencyUnavailable, withDeadline } from './errors/dependency-unavailable';
export { inTransaction } from './database/transaction';
export {
  createGenericPlanPool,
  GENERIC_PLAN_POOL,
  GENERIC_PLAN_POOL_SIZE,
  GenericPlanPool,
} from './database/generic-plan-pool';
export { withClient } from './database/with-client';
export type { ClientLease } from './database/with-client';
export { keysetPage } from './database/keyset-page';
export type { CreationKey, KeysetPage } from './database/keyset-page';
export { WriteBatcher } from './database/write-batcher';
export { createLogger, NestPinoLogger } from './observability/logger';
export type { Logger } from './observability/logger';
export { PeriodicTask } from './periodic-task';
export { PROBLEM_CONTENT_TYPE, problem, UNAVAILABLE_RETRY_AFTER_SECONDS } from './http/problem';
export type { Problem } from './http/problem';
export { ErrorReporter, reportUnhandledRejections } from './observability/error-reporter';
export { Metrics } from './observability/metrics';
export { unreachableDependencies } from './observability/readiness';
export { RecentValue } from './observability/recent-value';
export { LOGGER, PlatformModule, QUEUE_CLUSTER, VIGIL_CONFIG } from './platform.module';
export {
  REDIS,
  REDIS_COMMAND_TIMEOUT_MS,
  createRedis,
  createRedisClient,
  createRedisCluster,
  redisUrlOptions,
} from './redis/redis-connection';
export type { RedisClient } from './redis/redis-connection';
export { BearerToken } from './crypto/bearer-token';
export { BlindIndex, SecretBox } from './crypto/secret-box';
export { resealColumn } from './crypto/reseal-column';
export type { SealedColumn } from './crypto/reseal-column';
export { newSigningSecret, ROTATED_SECRET_VALID_MS, SECRETS_CACHE_MS, SigningSecrets } from './crypto/signing-secrets';
export type { OpenedSecret, SealedSecret, SigningSecretsOptions } from './crypto/signing-secrets';
