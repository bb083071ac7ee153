import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { incidentPayload, type RecordedIncidentEvent } from '../../libs/alerts/src/incident-payload';
import { ROUTE_RECORDED_SQL } from '../../libs/alerts/src/alert-router';
import { STORE_ALERT_PAYLOAD_SQL } from '../../libs/alerts/src/alert-payloads';
import { createPgPool } from '@vigil/platform';
import { benchConfig } from '../context';
import { cpuMs } from '../process-cpu';
import { learnSubjectsFromLog } from './learn-subjects';
import { insertSubscriptions } from './routing';
import { recorded, ScaleLog } from './scale-log';

/**
 * The recorded routing statement alone, for issue 16's fan-out: a young log (2,000 events) with the router's
 * subject keys and memberships, 100,000 email subscriptions watching one organisation, then a report about a
 * member of it routed by the statement's generic plan (PREPAREd with its parameters' types, as explain-routing.ts
 * does) in a transaction rolled back, `--runs` times, printing the CPU of the backend that ran it (the payload's
 * store included, as the router runs it). With `--before FILE`, the same for the statement of another checkout's
 * alert-router.ts (before decision 0032, its $6 the incident's document), in turns, on the same rows: an A/B of
 * the statement that the machine's load moves less than the wall time. With `--history N`, N reports about the
 * organisation are first routed and committed, so that every watcher has had N alerts (docs/scaling.md, "A
 * subscriber's history").
 *   DATABASE_URL=<an empty, migrated database> npx ts-node --swc -r tsconfig-paths/register \
 *     bench/scale/routing-statement.ts --runs 5 [--history 10] [--before ../routing-before/libs/alerts/src/alert-router.ts]
 */
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : (process.argv[i + 1] ?? '');
};

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const pool = createPgPool(databaseUrl, 2, 'vigil-routing-statement');
  const log = new ScaleLog(0);
  await log.growTo(pool, 2_000);
  await learnSubjectsFromLog(pool);
  const config = benchConfig({ databaseUrl, queuePrefix: 'unused' });
  await insertSubscriptions(pool, config, log, 100_000, 0);
  // The tables filled only: an empty `deliveries` analysed is planned as empty (routing.bench.ts).
  await pool.query('ANALYZE subscriptions, subscription_watches, alert_subject_keys, alert_memberships');

  const before = option('before') ? ((await import(option('before')!)) as { ROUTE_RECORDED_SQL: string }) : undefined;
  const runs = Number(option('runs') ?? 3);
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0].pid;
    for (let alert = 0; alert < Number(option('history') ?? 0); alert++)
      await routeOnce(client, pid, log, 'after', ROUTE_RECORDED_SQL, 'COMMIT');
    for (let run = 0; run <= runs; run++) {
      for (const [version, sql] of [
        ['after', ROUTE_RECORDED_SQL],
        ...(before ? [['before', before.ROUTE_RECORDED_SQL]] : []),
      ]) {
        const cpu = await routeOnce(client, pid, log, version, sql, 'ROLLBACK');
        // Run 0 warms the cache and is not printed.
        if (run > 0) process.stdout.write(`${JSON.stringify({ run, version, ...cpu })}\n`);
      }
    }
  } finally {
    client.release();
    await pool.end();
  }
}

const SUBJECT_TYPES = ['uuid', 'uuid[]', 'uuid[]', 'text[]', 'text[]'];
const REST_TYPES = ['text', 'timestamptz', 'bigint', 'text[]', 'uuid[]', 'text'];

/** One report's recorded routing as the router runs it, by its generic plan, then `end`: the backend's CPU. */
async function routeOnce(
  client: PoolClient,
  pid: number,
  log: ScaleLog,
  version: string,
  sql: string,
  end: 'COMMIT' | 'ROLLBACK',
) {
  const incidentId = randomUUID();
  const [append] = [recorded(log.incidents, incidentId, [log.memberOfWatched], log.organizations[0])];
  const [event] = append.events;
  const data = event.data as {
    persons: { personId: string; key: string }[];
    organizations: { organizationId: string; key: string }[];
  };
  const position = 1_000_000 + log.incidents;
  const recordedAt = new Date();
  const incident = JSON.stringify(
    incidentPayload({
      ...event,
      position,
      streamId: append.streamId,
      streamVersion: 1,
      metadata: {},
      recordedAt,
      transactionId: '1',
    } as RecordedIncidentEvent),
  );
  const subjects = [
    incidentId,
    data.persons.map((p) => p.personId),
    data.organizations.map((o) => o.organizationId),
    data.persons.map((p) => p.key),
    data.organizations.map((o) => o.key),
  ];
  // Recorded after every subscription was confirmed, as a report that reaches them all.
  const rest = [event.type, new Date(Date.now() + 60_000), position, ['reported'], [incidentId], `page-${incidentId}`];
  // A statement from before decision 0032 takes the incident's document as $6, and has a $12.
  const withDocument = /\$12\b/.test(sql);
  const values = withDocument ? [...subjects, incident, ...rest] : [...subjects, ...rest];
  const types = withDocument ? [...SUBJECT_TYPES, 'jsonb', ...REST_TYPES] : [...SUBJECT_TYPES, ...REST_TYPES];
  const literal = (value: unknown) =>
    client.escapeLiteral(
      Array.isArray(value)
        ? `{${value.map((v) => `"${v}"`).join(',')}}`
        : value instanceof Date
          ? value.toISOString()
          : String(value),
    );
  const parameters = values.map((value, i) => `${literal(value)}::${types[i]}`).join(', ');
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await client.query(`PREPARE routing(${types.join(', ')}) AS ${sql}`);
    const cpuBefore = cpuMs(pid);
    const started = performance.now();
    const routed = await client.query(`EXECUTE routing(${parameters})`);
    if (!withDocument) await client.query(STORE_ALERT_PAYLOAD_SQL, [incidentId, position, incident]);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = (cpuMs(pid) - cpuBefore) / 1000;
    return {
      rows: routed.rowCount,
      seconds: Math.round(seconds * 100) / 100,
      cpuSeconds,
      incidentBytes: incident.length,
    };
  } finally {
    await client.query(end);
    await client.query('DEALLOCATE ALL');
    // A rolled-back run's rows stay in the indexes until a vacuum: the next run would probe them too.
    if (end === 'ROLLBACK') await client.query('VACUUM deliveries, alert_payloads');
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
