import { connect } from 'node:net';
import { startApiOnTestDatabase } from '../support/test-api-database';
import type { TestApi } from '../support/test-api';

/** The headers every answer carries, and whose X-Forwarded-For the API believes. */
describe('Security headers and client addresses', () => {
  const started: { close(): Promise<void> }[] = [];
  const start = async (overrides: Parameters<typeof startApiOnTestDatabase>[0]): Promise<TestApi> => {
    const stack = await startApiOnTestDatabase(overrides);
    started.push(stack);
    return stack.api;
  };
  afterAll(async () => {
    for (const stack of started) await stack.close();
  });

  it('sends nosniff and no-referrer on JSON, problem and HTML answers, a strict CSP on pages, and no HSTS over http', async () => {
    const api = await start({});
    for (const path of ['/health/live', '/v1/admin/persons', '/v1/subscriptions/confirm?token=x', '/docs']) {
      const response = await api.request(path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    const page = await api.request('/v1/subscriptions/confirm?token=x');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('hangs up on a client that sends its headers and never its body (slow-loris), instead of waiting forever', async () => {
    // A short statement timeout makes the socket's idle limit (statement timeout + 15 s) short too.
    const api = await start({
      databaseTimeouts: { connectMs: 1_000, statementMs: 1_000, lockMs: 1_000, idleInTransactionMs: 10_000 },
    });
    const { port } = new URL(api.baseUrl);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.write(
      'POST /v1/subscriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    // The server ends it (requestTimeout, or the idle limit, whichever Node checks first): the socket closes
    // without the test doing anything more; without either limit this test times out.
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 408|^$/);
  }, 40_000);

  it('sends Strict-Transport-Security when Vigil is served over https', async () => {
    const api = await start({ publicBaseUrl: 'https://vigil.example.org' });
    expect((await api.request('/health/live')).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('counts every request as the connection when no proxy is trusted, whatever X-Forwarded-For says', async () => {
    const api = await start({ trustProxy: false });
    const subscribe = (i: number) =>
      api.request('/v1/subscriptions', {
        method: 'POST',
        json: { email: `xff${i}@example.org`, watch: { persons: ['Fictional Forwarded'] } },
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
    for (let i = 0; i < 20; i++) expect((await subscribe(i)).status).toBe(202);
    expect((await subscribe(20)).status).toBe(429);
  });

  it('counts a trusted proxy’s malformed X-Forwarded-For as the connection, not as a new client', async () => {
    const api = await start({ trustProxy: ['127.0.0.1'] });
    const subscribe = (i: number) =>
      api.request('/v1/subscriptions', {
        method: 'POST',
        json: { email: `bad${i}@example.org`, watch: { persons: ['Fictional Forwarded'] } },
        headers: { 'x-forwarded-for': `not-an-address-${i}` },
      });
    for (let i = 0; i < 20; i++) expect((await subscribe(i)).status).toBe(202);
    expect((await subscribe(20)).status).toBe(429);
  });
});
