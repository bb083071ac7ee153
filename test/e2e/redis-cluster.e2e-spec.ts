import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { QUEUE_CLUSTER } from '@vigil/platform';
import { watchByEmail } from '../support/email-subscription';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../support/private-redis-cluster';
import { readJson } from '../support/read-json';
import { createSource, postSigned } from '../support/signed-webhook';
import { testQueuePrefix } from '../support/test-queue-prefix';
import { startTestHttpReceiver, type TestHttpReceiver } from '../support/test-http-receiver';
import { startTestSmtpServer, type TestSmtpServer } from '../support/test-smtp-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { watchByWebhook } from '../support/webhook-subscription';

const WATCHED = 'Fictional Clustered';

/**
 * Vigil on a Redis Cluster (REDIS_CLUSTER_NODES) started by the suite from three redis-server processes:
 * with QUEUE_PREFIX as a hash tag, every queue's keys share one slot, so BullMQ's scripts run there, and
 * a report's mail and webhook go out as on one Redis (docs/decisions/0022-*.md).
 */
describe('Vigil on a Redis Cluster', () => {
  let cluster: PrivateRedisCluster;
  let smtp: TestSmtpServer;
  let receiver: TestHttpReceiver;
  let stack: TestStack;

  beforeAll(async () => {
    cluster = await startPrivateRedisCluster();
    smtp = await startTestSmtpServer();
    receiver = await startTestHttpReceiver();
    stack = await startTestStack({
      smtpUrl: smtp.url,
      redisClusterNodes: cluster.nodes,
      queuePrefix: `{${testQueuePrefix()}}`,
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await smtp?.stop();
    await receiver?.close();
    await cluster?.stop();
  });

  it('sends the mail and the webhook of a report, with every queue key in the slot of the hash tag', async () => {
    await watchByEmail(stack.api, smtp, { email: 'clustered@example.org', watch: { persons: [WATCHED] } });
    await watchByWebhook(stack.api, { url: `${receiver.url}/hook`, watch: { persons: [WATCHED] } });

    const source = await createSource(stack.api);
    const report = await postSigned(stack.api, source, {
      externalId: 'clustered-1',
      type: 'arrest',
      occurredOn: '2024-02-02',
      persons: [{ name: WATCHED }],
      source: { name: 'Test Monitor', status: 'confirmed' },
    });
    expect(report.status).toBe(201);
    const { incidentId } = await readJson(report);

    await waitFor(() => smtp.messages.some((m) => m.subject?.includes(WATCHED)), { what: 'the alert mail' });
    await waitFor(() => receiver.requests.some((r) => r.body.includes(incidentId)), { what: 'the webhook' });
    await stack.settled();

    // The queues' keys are on the cluster, all in the one slot of the prefix's hash tag.
    const queues = stack.worker.app.get<Cluster>(QUEUE_CLUSTER);
    const prefix = stack.config.queuePrefix;
    const keys = (await Promise.all(queues.nodes('master').map((node) => node.keys(`${prefix}:*`)))).flat();
    expect(keys.length).toBeGreaterThan(0);
    const slots = new Set(await Promise.all(keys.map((key) => queues.call('CLUSTER', 'KEYSLOT', key))));
    expect(slots).toEqual(new Set([await queues.call('CLUSTER', 'KEYSLOT', prefix)]));
  });

  it('is why the prefix must be a hash tag: without braces the cluster refuses BullMQ a queue (CROSSSLOT)', async () => {
    const connection = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: null } });
    const queue = new Queue('mail-delivery', { connection, prefix: testQueuePrefix() });
    try {
      await expect(queue.add('deliver', { deliveryId: 'x' })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await queue.close();
      await connection.quit();
    }
  });
});
