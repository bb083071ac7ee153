import { seedMailWatchers } from '../support/email-subscription';
import { startHoldingSmtpServer, type HoldingSmtpServer } from '../support/holding-smtp-server';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis';
import { recordReport } from '../support/recorded-report';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const WATCHERS = 1_000;
const WATCHED = 'Fictional Redislost';

/**
 * Redis holds only work in flight; the deliveries table says what must go out. Redis is killed while an
 * alert fans out to 1,000 mail watchers and comes back empty: every mail arrives exactly once, counted by
 * delivery id (the Message-ID carries it): those in hand finish, the sweeper queues the lost ones again.
 */
describe('Mail fan-out when Redis is killed and restarted empty', () => {
  let redis: PrivateRedis;
  let smtp: HoldingSmtpServer;
  let stack: TestStack;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    smtp = await startHoldingSmtpServer();
    stack = await startTestStack(
      { redisUrl: redis.url, smtpUrl: smtp.url, retrySchedule: [100, 200, 400, 800] },
      // Stale only after the transport's own 10 s limit: the mails held in DATA across the kill are being sent,
      // and a row in a worker's hand must not look lost (docs/architecture.md, "Retries and the sweeper").
      { sweeper: { intervalMs: 200, staleAfterMs: 10_000 } },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
    await redis?.stop();
  });

  const deliveryIds = async () =>
    (await stack.db.pool.query<{ id: string; status: string }>(`SELECT id, status FROM deliveries`)).rows;

  it('delivers each of 1,000 mails exactly once', async () => {
    await seedMailWatchers(stack, { count: WATCHERS, watched: WATCHED, prefix: 'redis-lost' });
    await recordReport(stack.api, {
      externalId: 'redis-lost-fanout',
      source: { name: 'Test Monitor', status: 'confirmed' },
      type: 'arrest',
      occurredOn: '2025-06-07',
      persons: [{ name: WATCHED }],
    });

    // Mid-fan-out: every row written and queued, the first mails in DATA, their replies held.
    await waitFor(async () => (await deliveryIds()).length === WATCHERS && smtp.held() >= 1, {
      what: 'the fan-out to be under way',
      timeoutMs: 30_000,
    });
    // At most a worker's worth of mails is in hand: the rest exists only as jobs, about to be lost.
    expect(smtp.messageIds).toEqual([]);
    expect(smtp.held()).toBeLessThan(WATCHERS);
    await redis.kill();
    // The mails in hand are answered while Redis is away; their outcome goes to PostgreSQL.
    smtp.release();
    await redis.start();

    const rows = await waitFor(
      async () => {
        const all = await deliveryIds();
        return all.every((row) => row.status === 'delivered') && all;
      },
      { what: 'every delivery to be delivered', timeoutMs: 90_000, intervalMs: 200 },
    );
    await stack.settled();

    const sent = smtp.messageIds.map((messageId) => messageId.split('@')[0]);
    const twice = sent.filter((id, i) => sent.indexOf(id) !== i);
    expect(twice).toEqual([]);
    expect(sent.sort()).toEqual(rows.map((row) => row.id).sort());
  }, 180_000);
});
