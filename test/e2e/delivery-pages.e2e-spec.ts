import { randomUUID } from 'node:crypto';
import { DeliveryQueues, PAGE_JOB } from '@vigil/alerts';
import { deliveryPayloadOf } from '../../libs/alerts/src/alert-payloads';
import { seedMailWatchers } from '../support/email-subscription';
import { startHoldingSmtpServer, type HoldingSmtpServer } from '../support/holding-smtp-server';
import { recordReport } from '../support/recorded-report';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const WATCHERS = 250;
const WATCHED = 'Fictional Pagedfanout';

/**
 * A mail fan-out is one job per page of 100 delivery rows (docs/decisions/0023-a-job-per-page-of-deliveries.md):
 * each row names its page, the page lists its rows, and each mail is sent once. A single-delivery job queued by
 * an older version is still sent.
 */
describe('Mail fan-out in pages of deliveries', () => {
  let smtp: HoldingSmtpServer;
  let stack: TestStack;

  beforeAll(async () => {
    smtp = await startHoldingSmtpServer();
    stack = await startTestStack({ smtpUrl: smtp.url });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
  });

  const deliveries = async () =>
    (
      await stack.db.pool.query<{ id: string; status: string; jobId: string | null }>(
        `SELECT id, status, job_id AS "jobId" FROM deliveries`,
      )
    ).rows;
  const sentTimes = (id: string) => smtp.messageIds.filter((messageId) => messageId.split('@')[0] === id).length;

  it('queues 250 mails as three page jobs of at most 100 rows, and sends each mail once', async () => {
    await seedMailWatchers(stack, { count: WATCHERS, watched: WATCHED, prefix: 'paged' });
    await recordReport(stack.api, {
      externalId: 'paged-fanout',
      source: { name: 'Test Monitor', status: 'confirmed' },
      type: 'arrest',
      occurredOn: '2025-06-08',
      persons: [{ name: WATCHED }],
    });

    // Held in DATA: every row written and its page queued or taken, nothing answered yet.
    const { queues } = stack.worker.app.get(DeliveryQueues);
    const rows = await waitFor(
      async () => {
        const all = await deliveries();
        return all.length === WATCHERS && smtp.held() >= 1 && all;
      },
      { what: 'the fan-out to be under way', timeoutMs: 30_000 },
    );
    const pages = new Map<string, number>();
    for (const { jobId } of rows) pages.set(String(jobId), (pages.get(String(jobId)) ?? 0) + 1);
    expect([...pages.values()].sort((a, b) => a - b)).toEqual([50, 100, 100]);
    for (const page of pages.keys()) expect(page).toMatch(/^page-[0-9a-f-]+-[0-2]$/);
    const jobs = await queues.email.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
    expect(jobs.map((job) => job.name)).toEqual(jobs.map(() => PAGE_JOB));
    expect(jobs.map((job) => job.id).sort()).toEqual([...pages.keys()].sort());
    for (const job of jobs) {
      const listed = (job.data as { deliveryIds: string[] }).deliveryIds;
      expect(listed.sort()).toEqual(
        rows
          .filter((row) => row.jobId === job.id)
          .map((row) => row.id)
          .sort(),
      );
    }

    smtp.release();
    await waitFor(async () => (await deliveries()).every((row) => row.status === 'delivered'), {
      what: 'every delivery to be delivered',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await stack.settled();
    expect(rows.filter((row) => sentTimes(row.id) !== 1)).toEqual([]);
    expect(smtp.messageIds).toHaveLength(WATCHERS);
  }, 120_000);

  it('sends a delivery whose own job an older version queued', async () => {
    // A row as the older version left it (no job_id, its incident copied into it) beside the fan-out's, and its
    // job of the older shape.
    const id = randomUUID();
    await stack.db.pool.query(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, cause_position, payload)
       SELECT $1, d.channel, d.subscription_id, d.incident_id, 'incident.corroborated', d.cause_position + 1,
              ${deliveryPayloadOf('d')}
         FROM deliveries d WHERE d.alert_type = 'incident.recorded' LIMIT 1`,
      [id],
    );
    const { queues } = stack.worker.app.get(DeliveryQueues);
    await queues.email.add('deliver', { deliveryId: id }, { jobId: id, removeOnComplete: true, removeOnFail: true });
    await waitFor(async () => (await deliveries()).find((row) => row.id === id)?.status === 'delivered', {
      what: 'the old job to be delivered',
      timeoutMs: 30_000,
    });
    await stack.settled();
    expect(sentTimes(id)).toBe(1);
  }, 60_000);
});
