import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { Queue } from 'bullmq';
import { QUEUE_NAMES, SubscriberData } from '@vigil/alerts';
import { redisConnectionOptions } from '../../libs/alerts/src/redis-connection-options';
import { appendEvents, wakeLogReaders } from '@vigil/event-store';
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
  const queue = new Queue(QUEUE_NAMES.email, {
    connection: redisConnectionOptions(config.redisUrl),
    prefix: config.queuePrefix,
  });
  let rssPeak = rssMiB(workerPid);
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(workerPid))), 50);
  try {
    smtp.reset();
    const incidentId = randomUUID();
    const started = performance.now();
    await appendEvents(pool, [recorded(log.incidents, incidentId, [about], log.organizations[0])]);
    await wakeLogReaders(pool);
    let routedAt: number | undefined;
    const deadline = started + 600_000;
    while (smtp.accepted() < expected) {
      if (performance.now() > deadline) throw new Error(`only ${smtp.accepted()} of ${expected} mails in 10 minutes`);
      if (routedAt === undefined) {
        // A row's job is its page's or its own (job_id, else the row id). The rows first, the queue after: a
        // job started (one of its rows tried) is out of the waiting sets, and one taken but not yet started is
        // counted in neither, so the sum can only come out low (the next probe sees it), never early.
        const { rows } = await pool.query<{ written: number; jobs: number; started: number }>(
          `SELECT count(*)::int AS written, count(DISTINCT coalesce(job_id, id::text))::int AS jobs,
                  (count(DISTINCT coalesce(job_id, id::text)) FILTER (WHERE status <> 'pending' OR attempts > 0))::int AS started
             FROM deliveries WHERE incident_id = $1`,
          [incidentId],
        );
        const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
        const queued = Object.values(counts).reduce((sum, n) => sum + n, 0);
        if (rows[0].written === expected && rows[0].started + queued >= rows[0].jobs) routedAt = performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const doneAt = performance.now();
    return {
      deliveries: expected,
      routingSeconds: ((routedAt ?? doneAt) - started) / 1000,
      workerRssPeakMiB: rssPeak,
      mailsPerSec: expected / ((doneAt - started) / 1000),
    };
  } finally {
    clearInterval(sampler);
    await queue.close();
  }
}
