import type { Pool } from 'pg';
import { readLogStatus } from '@vigil/consumers';
import { PG_POOL } from '@vigil/platform';
import { logConsumers } from '../../apps/api/src/admin/log-consumers';
import { expectProblem } from '../support/expect-problem';
import { useApiOnTestDatabase } from '../support/test-api-database';

const METRICS_TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  describe('with METRICS_TOKEN set', () => {
    const { api } = useApiOnTestDatabase({ metricsToken: METRICS_TOKEN });

    it('serves the registry, with the consumers lag, to the bearer of the token', async () => {
      const response = await api.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toMatch(/vigil_consumer_lag\{consumer="alert-router"\} 0/);
    });

    it('reads the lag once for scrapes that arrive together, not once per scrape', async () => {
      const pool = api.app.get<Pool>(PG_POOL);
      const statements = jest.spyOn(pool, 'query');
      const scrape = () => api.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      try {
        await readLogStatus(pool, logConsumers().names);
        const readingStatements = statements.mock.calls.length;
        expect(readingStatements).toBeGreaterThan(logConsumers().names.length);
        // Whether an earlier scrape's reading is still fresh or not, ten at once cost at most one reading.
        statements.mockClear();
        const together = await Promise.all(Array.from({ length: 10 }, scrape));
        expect(together.map((response) => response.status)).toEqual(Array(10).fill(200));
        const forTen = statements.mock.calls.length;
        expect(forTen).toBeLessThanOrEqual(readingStatements);
      } finally {
        statements.mockRestore();
      }
    });

    it.each([
      ['no Authorization header', undefined],
      ['another token', 'Bearer metrics-token-0123456788'],
      ['the token in another scheme', `Basic ${METRICS_TOKEN}`],
      ['the admin token', 'Bearer test-admin-token-0123456789abcdef0123456789'],
    ])('answers 401 with WWW-Authenticate to %s', async (_, authorization) => {
      const response = await api.request('/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = await expectProblem(response, 401);
      expect(JSON.stringify(body)).not.toContain('vigil_');
    });
  });

  describe('without METRICS_TOKEN', () => {
    const { api } = useApiOnTestDatabase();

    it('serves the registry to anyone (keep the port off the public network)', async () => {
      expect((await api.request('/metrics')).status).toBe(200);
    });
  });
});
