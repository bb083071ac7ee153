import { randomUUID } from 'node:crypto';
import { expectProblem } from '../support/expect-problem';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { waitFor } from '../support/wait-for';

/**
 * The admin retry needs Redis (it queues the delivery's job). While Redis is away it answers 503 with
 * Retry-After and leaves the row exactly as it was; once Redis is back the same request reopens it.
 */
describe('Admin retry of a delivery while Redis is unreachable', () => {
  const { db, api, redis } = useApiOnTestDatabase({}, { behindProxies: true });

  async function deadDelivery(): Promise<string> {
    const id = randomUUID();
    await db.pool.query(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload, status, attempts, last_error)
       VALUES ($1, 'email', $2, $3, 'incident.recorded', '{}', 'dead', 5, 'mailbox full')`,
      [id, randomUUID(), randomUUID()],
    );
    return id;
  }
  const rowOf = async (id: string) =>
    (
      await db.pool.query<{ status: string; attempts: number; lastError: string | null }>(
        `SELECT status, attempts, last_error AS "lastError" FROM deliveries WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const retry = (id: string) => api.request(`/v1/admin/deliveries/${id}/retry`, { method: 'POST', admin: true });

  it.each([
    ['cut', () => redis.cut()],
    ['stalled', () => redis.stall()],
  ])(
    'answers 503 with Retry-After and changes nothing while Redis is %s; reopens once it is back',
    async (_, fault) => {
      const id = await deadDelivery();
      fault();
      const refused = await retry(id);
      await expectProblem(refused, 503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await rowOf(id)).toEqual({ status: 'dead', attempts: 5, lastError: 'mailbox full' });

      redis.restore();
      // ioredis reconnects by itself: the request is answered once it has.
      const accepted = await waitFor(
        async () => {
          const response = await retry(id);
          return response.status === 202 && response;
        },
        { what: 'the retry to be accepted after Redis is back', intervalMs: 100 },
      );
      expect(accepted.status).toBe(202);
      expect(await rowOf(id)).toEqual({ status: 'pending', attempts: 0, lastError: null });
    },
  );
});
