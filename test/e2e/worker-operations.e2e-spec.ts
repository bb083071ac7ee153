import { WorkerHttpServer } from '../../apps/worker/src/operations/worker-http-server';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testConfig } from '../support/test-config';
import { startTestHttpReceiver, answer, type TestHttpReceiver } from '../support/test-http-receiver';
import { recordReport } from '../support/recorded-report';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker, type TestWorker } from '../support/test-worker';
import { waitFor } from '../support/wait-for';
import { watchByWebhook } from '../support/webhook-subscription';

const METRICS_TOKEN = 'worker-metrics-token-0123456789';

/** The worker's own port (WORKER_PORT; a free one here): health, readiness and its metrics. */
describe('Worker health and metrics', () => {
  describe('on a running stack', () => {
    let stack: TestStack;
    let receiver: TestHttpReceiver;
    let base: string;

    beforeAll(async () => {
      // Three tries: a receiver that always fails makes two retries and one dead job.
      stack = await startTestStack({ metricsToken: METRICS_TOKEN, retrySchedule: [50, 50] });
      receiver = await startTestHttpReceiver();
      base = `http://127.0.0.1:${stack.worker.app.get(WorkerHttpServer).port}`;
    });
    afterAll(async () => {
      await receiver?.close();
      await stack?.close();
    });

    const scrape = async () => {
      const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      return response.text();
    };

    async function subscribeAndReport(path: string, person: string): Promise<void> {
      await watchByWebhook(stack.api, { url: `${receiver.url}${path}`, watch: { persons: [person] } });
      await recordReport(stack.api, {
        externalId: `worker-ops-${person}`,
        type: 'arrest',
        occurredOn: '2025-03-04',
        persons: [{ name: person }],
        source: { name: 'Test Monitor', status: 'confirmed' },
      });
    }

    it('is live, and ready while PostgreSQL and Redis answer', async () => {
      const live = await fetch(`${base}/health/live`);
      expect(live.status).toBe(200);
      expect(await readJson(live)).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await readJson(ready)).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    });

    it('counts delivery outcomes by channel, and shows both queues, the consumers lag and background errors', async () => {
      receiver.fallback = (request, response) => answer(request.path === '/fails' ? 500 : 204)(request, response);
      await subscribeAndReport('/ok', 'Fictional Counted');
      await subscribeAndReport('/fails', 'Fictional Refused');
      await stack.settled();
      const text = await scrape();
      expect(text).toMatch(/vigil_delivery_jobs_total\{channel="webhook",outcome="completed"\} 1$/m);
      expect(text).toMatch(/vigil_delivery_jobs_total\{channel="webhook",outcome="retried"\} 2$/m);
      expect(text).toMatch(/vigil_delivery_jobs_total\{channel="webhook",outcome="dead"\} 1$/m);
      for (const queue of ['mail-delivery', 'webhook-delivery']) {
        expect(text).toMatch(new RegExp(`vigil_delivery_queue_jobs\\{queue="${queue}",state="wait"\\} 0$`, 'm'));
      }
      expect(text).toMatch(/vigil_consumer_lag\{consumer="alert-router"\} 0$/m);
      expect(text).toContain('# TYPE vigil_background_errors_total counter');
    });

    it('answers /metrics only to the bearer of METRICS_TOKEN', async () => {
      const response = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-0123456' } });
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      await expectProblem(response, 401);
      await expectProblem(await fetch(`${base}/metrics`), 401);
    });

    it('answers other paths with 404 and other methods with 405', async () => {
      await expectProblem(await fetch(`${base}/v1/admin/sources`), 404);
      const post = await fetch(`${base}/health/live`, { method: 'POST' });
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      await expectProblem(post, 405);
    });
  });

  describe('with PostgreSQL behind a proxy', () => {
    let db: TestDatabase;
    let postgres: TcpProxy;
    let worker: TestWorker | undefined;
    let base: string;

    beforeAll(async () => {
      db = await createTestDatabase();
      // PostgreSQL, not Redis: the readiness check is the same for both, and a BullMQ worker cut from Redis
      // takes long to close (the delivery side's concern, not this port's).
      postgres = await startTcpProxy(db.url);
      worker = await startTestWorker(testConfig({ databaseUrl: postgres.through(db.url) }));
      base = `http://127.0.0.1:${worker.app.get(WorkerHttpServer).port}`;
    });
    afterAll(async () => {
      postgres?.restore();
      await worker?.close();
      await postgres?.close();
      await db?.drop();
    });

    it('is not ready while PostgreSQL is unreachable, stays live, and is ready again once it is back', async () => {
      postgres.cut();
      try {
        const response = await fetch(`${base}/health/ready`);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await expectProblem(response, 503)).detail).toBe('not ready: postgres unreachable');
        expect((await fetch(`${base}/health/live`)).status).toBe(200);
      } finally {
        postgres.restore();
      }
      await waitFor(async () => (await fetch(`${base}/health/ready`)).status === 200, { what: 'ready again' });
    });

    it('closes its port when the worker shuts down', async () => {
      await worker!.close();
      worker = undefined;
      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    });
  });
});
