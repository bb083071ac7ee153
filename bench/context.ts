import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import Redis from 'ioredis';
import { createPgPool, loadConfig, migrateDatabase, type VigilConfig } from '@vigil/platform';
import { dropQueuePrefix } from '../test/support/test-queue-prefix';

const DATABASE_SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The admin token of every bench's API. */
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789';

/**
 * A bench's configuration: its database, Redis (the default without one) and queue prefix, the bench admin
 * token, and the settings it adds.
 */
export function benchConfig(
  where: { databaseUrl: string; redisUrl?: string; queuePrefix: string },
  settings: Record<string, string> = {},
): VigilConfig {
  return loadConfig({
    DATABASE_URL: where.databaseUrl,
    ...(where.redisUrl ? { REDIS_URL: where.redisUrl } : {}),
    QUEUE_PREFIX: where.queuePrefix,
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    ...settings,
  });
}

export interface Summary {
  metric: string;
  value: number;
  /** The same figure for the baseline measured in the same run, or null when there is none. */
  ceiling: number | null;
  target: number;
  /** Defaults to ratio >= target (or value >= target without a ceiling); pass it for lower-is-better. */
  meets?: boolean;
  details: Record<string, unknown>;
}

export interface BenchContext {
  name: string;
  /** A fresh, migrated database of this benchmark's own; dropped afterwards. */
  databaseUrl: string;
  /** A pool on that database, closed by the runner (so the process can exit). */
  pool(max?: number): Pool;
  /**
   * Drops the database and makes it again, migrated, for a run that needs empty tables: the event log
   * refuses TRUNCATE. Closes every pool made before; take new ones.
   */
  recreateDatabase(): Promise<void>;
  redisUrl: string;
  /** A queue prefix of this benchmark's own; its Redis keys are deleted afterwards. */
  queuePrefix: string;
  /** One JSON line on stdout. */
  print(line: object): void;
}

export interface Benchmark {
  /** Prints what it likes; returns the summary, which the runner prints as the last line. */
  run(ctx: BenchContext): Promise<Summary>;
}

function urlFor(database: string): string {
  const url = new URL(DATABASE_SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onAdmin(sql: string): Promise<void> {
  const admin = new Client({ connectionString: urlFor('postgres') });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Deletes every key under the prefix; fails fast (no reconnect loop) when Redis is down. */
async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await dropQueuePrefix(redis, prefix);
    await redis.quit();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

export const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

/** Runs one benchmark in its own database and prefix, and removes both whatever happens. */
export async function withContext(name: string, work: (ctx: BenchContext) => Promise<void>): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const database = `vigil_bench_${name}_${suffix}`;
  const pools: Pool[] = [];
  const ctx: BenchContext = {
    name,
    databaseUrl: urlFor(database),
    pool: (max = 10) => {
      const pool = createPgPool(urlFor(database), max, `vigil-bench-${name}`);
      pools.push(pool);
      return pool;
    },
    recreateDatabase: async () => {
      await Promise.allSettled(pools.splice(0).map((pool) => pool.end()));
      await onAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await migrateDatabase(ctx.databaseUrl);
    },
    redisUrl: REDIS_URL,
    queuePrefix: `vigil-bench-${name}-${suffix}`,
    print,
  };
  let cleaned: Promise<void> | undefined;
  // Each step on its own: a failed one must not leave the others undone.
  const cleanup = () =>
    (cleaned ??= Promise.allSettled([
      // allSettled: the database goes even if a pool fails to close (FORCE ends its connections).
      Promise.allSettled(pools.map((pool) => pool.end())).then(() =>
        onAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
      ),
      dropPrefix(ctx.queuePrefix),
    ]).then((steps) => {
      for (const step of steps) {
        if (step.status === 'rejected') process.stderr.write(`bench ${name}: cleanup failed: ${String(step.reason)}\n`);
      }
    }));
  // Ctrl-C skips `finally`; without this an interrupted run would leave its database behind.
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    await migrateDatabase(ctx.databaseUrl);
    await work(ctx);
  } finally {
    await cleanup();
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
}
