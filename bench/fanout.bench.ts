import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { appendEvents, wakeLogReaders } from '@vigil/event-store';
import { nameKey, parsePartialDate } from '@vigil/domain';
import { SubscriberData } from '@vigil/alerts';
import { createLogger, Metrics, SecretBox } from '@vigil/platform';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { benchConfig, type BenchContext, type Summary } from './context';
import { countingSmtpServer } from './counting-smtp-server';
import { rawMailSeconds } from './raw-mail-ceiling';
import { median, round } from './stats';

const SUBSCRIBERS = Number(process.env.BENCH_FANOUT_SUBSCRIBERS ?? 10_000);
const RUNS = 3;

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function run(ctx: BenchContext): Promise<Summary> {
  const pool = ctx.pool(8);
  const smtp = await countingSmtpServer();
  const config = benchConfig(ctx, {
    SMTP_URL: smtp.url,
    RETRY_SCHEDULE: '1s,2s,5s',
  });
  const box = new SecretBox(config.secretsKey);
  const sealed = box.seal('bench-unsubscribe-token');
  const subscriberData = new SubscriberData(config);
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, createLogger('bench-worker', 'silent'), new Metrics(false)),
    {
      logger: false,
    },
  );
  try {
    const routing: number[] = [];
    const endToEnd: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      // Each run: a new watched person, 10,000 confirmed subscriptions watching that name.
      const name = `Fictional Fanout ${run}`;
      // Sealed as the API seals them, so the worker opens each address and label as in production.
      const ids = Array.from({ length: SUBSCRIBERS }, () => randomUUID());
      await pool.query(
        `WITH s AS (
           INSERT INTO subscriptions (id, channel, email_box, status, confirmed_at, unsubscribe_token_hash, unsubscribe_token_box)
           SELECT id, 'email', email_box, 'active', now() - interval '1 minute', decode(md5(random()::text || id), 'hex'), $2
             FROM unnest($1::uuid[], $3::text[]) AS g(id, email_box) RETURNING id)
         INSERT INTO subscription_watches (subscription_id, subject, key, label)
         SELECT s.id, 'person', $4, l.label FROM s JOIN unnest($1::uuid[], $5::text[]) AS l(id, label) ON l.id = s.id`,
        [
          ids,
          sealed,
          ids.map((id, g) => subscriberData.sealAddress(id, `watcher${g + 1}-${run}@example.org`)),
          nameKey(name),
          ids.map((id) => subscriberData.sealLabel(id, name)),
        ],
      );
      smtp.reset();
      const personId = randomUUID();
      const incidentId = randomUUID();
      const started = performance.now();
      await appendEvents(pool, [
        {
          streamId: `incident-${incidentId}`,
          expected: 'no_stream',
          events: [
            {
              type: 'ArrestRecorded',
              schemaVersion: 1,
              data: {
                incidentId,
                occurredOn: parsePartialDate('2024-04-04'),
                persons: [{ personId, name, key: nameKey(name) }],
                organizations: [],
                details: {},
                source: { name: 'Bench Monitor', status: 'confirmed' },
              },
            },
          ],
        },
        {
          streamId: `person-${personId}`,
          expected: 'no_stream',
          events: [
            { type: 'PersonRegistered', schemaVersion: 1, data: { personId, name, key: nameKey(name), incidentId } },
          ],
        },
      ]);
      await wakeLogReaders(pool);
      // Routed: every row written and every job in the queue (the router enqueues after its commit).
      await until(async () => {
        const { rows } = await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM deliveries WHERE incident_id = $1',
          [incidentId],
        );
        return rows[0].n === SUBSCRIBERS;
      });
      const routedAt = performance.now();
      await until(() => smtp.accepted() >= SUBSCRIBERS);
      const doneAt = performance.now();

      // The ceiling: the same number of mails through nodemailer's pooled transport, straight to the server.
      const rawSeconds = await rawMailSeconds(smtp, config.mailFrom, SUBSCRIBERS);

      const figures = {
        routingMs: round(routedAt - started),
        endToEndSeconds: round((doneAt - started) / 1000),
        rawSeconds: round(rawSeconds),
      };
      ctx.print({ bench: 'fanout', run: run === 0 ? 'warm-up' : run, ...figures });
      if (run === 0) continue;
      routing.push(figures.routingMs);
      endToEnd.push(SUBSCRIBERS / figures.endToEndSeconds);
      raw.push(SUBSCRIBERS / rawSeconds);
    }
    const value = round(median(endToEnd));
    const ceiling = round(median(raw));
    const routingMs = round(median(routing));
    return {
      metric: 'alert mails/s end to end (append to last mail accepted)',
      value,
      ceiling,
      target: 0.5,
      meets: value / ceiling >= 0.5 && routingMs < 1_000,
      details: {
        subscribers: SUBSCRIBERS,
        routingMs,
        routingTargetMs: 1_000,
        rawMailsPerSec: ceiling,
        rssPeakMb: round(rssPeak / 2 ** 20),
        rssNote: 'worker, SMTP server and load in one process',
      },
    };
  } finally {
    clearInterval(sampler);
    await worker.close();
    await smtp.close();
  }
}
