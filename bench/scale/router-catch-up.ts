import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { AlertRouter, type DeliveryQueues, type QueuedDelivery } from '@vigil/alerts';
import { ConsumerRunner } from '@vigil/consumers';
import { createLogger, createPgPool } from '@vigil/platform';
import { benchConfig } from '../context';
import { backendPids, totalCpuMs } from '../process-cpu';
import { learnSubjectsFromLog } from './learn-subjects';
import { insertSubscriptions } from './routing';
import type { ScaleLog } from './scale-log';

/**
 * The alert router alone routing a grown log (bench/scale/grow-log.ts), in a copy of it, for the router's
 * catch-up in docs/scaling.md. Steps, each optional:
 * - `--jump P`: the router's state as if it had routed the log up to the end of the transaction holding
 *   position P: its subject keys and memberships from the log, a facts row (of a routed incident's size) for
 *   each incident recorded 10,000 positions before, its checkpoint there. Without it the router starts where
 *   its checkpoint is.
 * - `--subscribe`: the scale bench's subscriptions (100,000 watching the watched organisation, 10,000 of them
 *   its watched person too) and a delivery row for each, as the young phase's two routed reports leave them.
 * - ANALYZE, as autovacuum would.
 * - `--events N`: routes N events and prints events/s and the CPU per event of this process (the router) and
 *   of the database's backends. Rows routed are counted, not queued.
 *   DATABASE_URL=… npx ts-node --swc -r tsconfig-paths/register bench/scale/router-catch-up.ts log.json \
 *     --jump 900000 --subscribe --events 10000
 */
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : (process.argv[i + 1] ?? '');
};

async function jump(pool: Pool, position: number): Promise<void> {
  const { rows } = await pool.query<{ tx: string; last: string }>(
    `SELECT e.transaction_id::text AS tx, max(t.position)::text AS last FROM events e
       JOIN events t ON t.transaction_id = e.transaction_id WHERE e.position = $1 GROUP BY 1`,
    [position],
  );
  const [{ tx, last }] = rows;
  await learnSubjectsFromLog(pool, Number(last));
  await pool.query(
    `INSERT INTO alert_incidents (incident_id, version, merged_into, facts)
     SELECT (data->>'incidentId')::uuid, 4, NULL, jsonb_build_object('filler', repeat('x', 1100)) FROM events
      WHERE position <= $1 - 10000 AND type LIKE '%Recorded' AND type <> 'MembershipRecorded' AND version = 1
     ON CONFLICT DO NOTHING`,
    [last],
  );
  await pool.query(
    `INSERT INTO consumer_checkpoints (name, last_tx, last_position) VALUES ('alert-router', $1::xid8, $2)
     ON CONFLICT (name) DO UPDATE SET last_tx = excluded.last_tx, last_position = excluded.last_position`,
    [tx, last],
  );
}

async function subscribe(pool: Pool, databaseUrl: string, log: ScaleLog): Promise<void> {
  const config = benchConfig({ databaseUrl, queuePrefix: 'unused' });
  await insertSubscriptions(pool, config, log, 100_000, 10_000);
  await pool.query(
    `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, cause_position, payload, status)
     SELECT gen_random_uuid(), 'email', w.subscription_id, i.id, 'incident.recorded', 1, '{}', 'delivered'
       FROM (VALUES ($1::uuid, 'person'), ($2::uuid, 'organization')) AS i(id, subject)
       JOIN subscription_watches w ON w.subject = i.subject`,
    ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
  );
}

async function route(pool: Pool, databaseUrl: string, events: number): Promise<void> {
  let routed = 0;
  const queues = { enqueue: async (d: QueuedDelivery[]) => void (routed += d.length) } as unknown as DeliveryQueues;
  const runner = new ConsumerRunner(pool, new AlertRouter(queues), {
    databaseUrl,
    logger: createLogger('router-catch-up', 'warn'),
  });
  const position = async () =>
    Number(
      (await pool.query(`SELECT last_position AS p FROM consumer_checkpoints WHERE name = 'alert-router'`)).rows[0]
        ?.p ?? 0,
    );
  const from = await position();
  const load = loadavg()[0];
  const cpu = process.cpuUsage();
  const started = performance.now();
  await runner.start();
  const backends = new Map<number, number>();
  let to = from;
  while (to < from + events) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A backend's CPU since it was first seen (the runner's connections open after the start).
    for (const pid of await backendPids(pool)) if (!backends.has(pid)) backends.set(pid, totalCpuMs([pid]));
    to = await position();
  }
  const seconds = (performance.now() - started) / 1000;
  let dbCpuMs = 0;
  for (const [pid, before] of backends) dbCpuMs += totalCpuMs([pid]) - before;
  const usage = process.cpuUsage(cpu);
  await runner.stop();
  const perEvent = (ms: number) => Math.round((ms / (to - from)) * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      from,
      to,
      eventsPerSec: Math.round((to - from) / seconds),
      routerCpuMsPerEvent: perEvent((usage.user + usage.system) / 1000),
      dbCpuMsPerEvent: perEvent(dbCpuMs),
      routed,
      loadAverage: { atStart: load, atEnd: loadavg()[0] },
    })}\n`,
  );
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const log = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ScaleLog;
  const pool = createPgPool(databaseUrl, 4, 'vigil-router-catch-up');
  try {
    const at = option('jump');
    if (at) await jump(pool, Number(at));
    if (process.argv.includes('--subscribe')) await subscribe(pool, databaseUrl, log);
    if (at || process.argv.includes('--subscribe')) await pool.query('ANALYZE');
    const events = option('events');
    if (events) await route(pool, databaseUrl, Number(events));
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
