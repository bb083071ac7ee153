import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { QueueEvents } from 'bullmq';
import { ALERT_ROUTER, QUEUE_NAMES, SubscriberData } from '@vigil/alerts';
import { redisConnectionOptions } from '../../libs/alerts/src/redis-connection-options';
import { appendEvents, wakeLogReaders, type AppendResult } from '@vigil/event-store';
import { SecretBox, type VigilConfig } from '@vigil/platform';
import { recorded, type ScaleLog, type Subject } from './scale-log';

const INSERT_BATCH = 5_000;

/**
 * Email subscriptions as the API stores them once confirmed: address and labels sealed, the address's blind
 * index beside it, a hashed and a sealed unsubscribe token. Every one watches the log's watched
 * organisation; the first `personWatchers` watch its watched person too.
 */
export async function insertSubscriptions(
  pool: Pool,
  config: VigilConfig,
  log: ScaleLog,
  total: number,
  personWatchers: number,
): Promise<void> {
  const data = new SubscriberData(config);
  const unsubscribeBox = new SecretBox(config.secretsKey).seal('bench-unsubscribe-token');
  for (let first = 0; first < total; first += INSERT_BATCH) {
    const ids = Array.from({ length: Math.min(INSERT_BATCH, total - first) }, () => randomUUID());
    const emails = ids.map((_, i) => `watcher${first + i}@example.org`);
    const watches = ids.flatMap((id, i) => [
      watch(data, id, 'organization', log.watchedOrganization),
      ...(first + i < personWatchers ? [watch(data, id, 'person', log.watchedPerson)] : []),
    ]);
    await pool.query(
      `WITH s AS (
         INSERT INTO subscriptions (id, channel, email_box, email_index, status, confirmed_at, unsubscribe_token_hash, unsubscribe_token_box)
         SELECT id, 'email', email_box, email_index, 'active', now(), decode(md5(random()::text || id), 'hex'), $4
           FROM unnest($1::uuid[], $2::text[], $3::bytea[]) AS g(id, email_box, email_index) RETURNING id)
       INSERT INTO subscription_watches (subscription_id, subject, subject_id, key, label)
       SELECT w.subscription_id, w.subject, w.subject_id, w.key, w.label
         FROM jsonb_to_recordset($5::jsonb) AS w(subscription_id uuid, subject text, subject_id uuid, key text, label text)
         JOIN s ON s.id = w.subscription_id`,
      [
        ids,
        ids.map((id, i) => data.sealAddress(id, emails[i])),
        emails.map((email) => data.addressIndex(email)),
        unsubscribeBox,
        JSON.stringify(watches),
      ],
    );
  }
}

function watch(data: SubscriberData, subscriptionId: string, subject: string, watched: Subject) {
  return {
    subscription_id: subscriptionId,
    subject,
    subject_id: watched.id,
    key: watched.key,
    label: data.sealLabel(subscriptionId, watched.name),
  };
}

export interface RoutingFigures {
  deliveries: number;
  /** Append to the last delivery row written and the last job (a page of rows, or one) in the queue or started. */
  routingSeconds: number;
  /** The worker process's peak resident set while it routed and sent. */
  workerRssPeakMiB: number;
  /** Append to the last mail accepted. */
  mailsPerSec: number;
}

const rssMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
};

/** The routing statement of `incident.recorded` as pg_stat_activity shows it (alert-router.ts). */
const ROUTING_STATEMENT = 'WITH reported AS%';

/**
 * Whether the alert router has passed `appended`: its checkpoint, a key read. The delivery rows are committed with
 * the checkpoint, so a bench waits for this rather than counting rows while they are written (on 100,000 rows,
 * each count is a core's worth of PostgreSQL taken from the routing it measures). `routerPid`: the backend running
 * the routing statement now, if one is.
 */
export async function probeRouter(
  probe: Pool,
  appended: AppendResult,
): Promise<{ routed: boolean; routerPid: number | null }> {
  const { rows } = await probe.query<{ routed: boolean; routerPid: number | null }>(
    `SELECT (SELECT (last_tx, last_position) >= ($1::xid8, $2) FROM consumer_checkpoints WHERE name = $3) AS routed,
            (SELECT pid FROM pg_stat_activity
              WHERE datname = current_database() AND state = 'active' AND query LIKE $4 LIMIT 1) AS "routerPid"`,
    [appended.transactionId, appended.positions[0], ALERT_ROUTER, ROUTING_STATEMENT],
  );
  return rows[0];
}

/**
 * Once routed: the ids of the jobs (a page's, or the row's own) of the incident's delivery rows, which must be
 * `expected` rows, else the fan-out lost or made some and the bench fails.
 */
export async function routedJobIds(probe: Pool, incidentId: string, expected: number): Promise<string[]> {
  const { rows } = await probe.query<{ written: number; jobIds: string[] }>(
    `SELECT count(*)::int AS written, coalesce(array_agg(DISTINCT coalesce(job_id, id::text)), '{}') AS "jobIds"
       FROM deliveries WHERE incident_id = $1`,
    [incidentId],
  );
  if (rows[0].written !== expected) throw new Error(`${rows[0].written} deliveries routed, not ${expected}`);
  return rows[0].jobIds;
}

/**
 * Appends one report about `about` (a new incident, as intake records it) and follows the worker: until every
 * one of `expected` delivery rows is written and each has its job (in the queue, or taken: tried or done),
 * then until the SMTP server accepted `expected` mails, sampling the worker's RSS all along.
 */
export async function routeOneReport(
  pool: Pool,
  config: VigilConfig,
  smtp: { accepted: () => number; reset: () => void },
  workerPid: number,
  log: ScaleLog,
  about: Subject,
  expected: number,
): Promise<RoutingFigures> {
  // Jobs leave the queue as the worker finishes them: each is counted when it is added, as BullMQ announces it.
  const events = new QueueEvents(QUEUE_NAMES.email, {
    connection: redisConnectionOptions(config.redisUrl),
    prefix: config.queuePrefix,
  });
  const added = new Set<string>();
  events.on('added', ({ jobId }) => added.add(jobId));
  await events.waitUntilReady();
  let rssPeak = rssMiB(workerPid);
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(workerPid))), 50);
  try {
    smtp.reset();
    const incidentId = randomUUID();
    const started = performance.now();
    const appended = await appendEvents(pool, [recorded(log.incidents, incidentId, [about], log.organizations[0])]);
    await wakeLogReaders(pool);
    const deadline = started + 600_000;
    const wait = (what: string) => {
      if (performance.now() > deadline) throw new Error(`${what} in 10 minutes`);
      return new Promise((resolve) => setTimeout(resolve, 10));
    };
    while (!(await probeRouter(pool, appended)).routed) await wait('not routed');
    const jobIds = await routedJobIds(pool, incidentId, expected);
    while (!jobIds.every((id) => added.has(id))) await wait(`${added.size} of ${jobIds.length} jobs queued`);
    const routedAt = performance.now();
    while (smtp.accepted() < expected) await wait(`only ${smtp.accepted()} of ${expected} mails`);
    const doneAt = performance.now();
    return {
      deliveries: expected,
      routingSeconds: (routedAt - started) / 1000,
      workerRssPeakMiB: rssPeak,
      mailsPerSec: expected / ((doneAt - started) / 1000),
    };
  } finally {
    clearInterval(sampler);
    await events.close();
  }
}
