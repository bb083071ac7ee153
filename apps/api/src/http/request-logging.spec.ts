import Fastify from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { logRequests } from './request-logging';

describe('request logging', () => {
  it('logs the path of a token link without its query: the manage, confirm and unsubscribe tokens stay out of logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const fastify = Fastify();
    logRequests(fastify, pino({ level: 'info' }, sink));
    fastify.get('/manage', async () => 'page');
    fastify.post('/manage/erase', async () => 'erased');
    try {
      await fastify.inject({ method: 'GET', url: '/manage?token=SECRET-TOKEN-1&lang=fa' });
      await fastify.inject({
        method: 'POST',
        url: '/manage/erase?lang=fa',
        payload: 'token=SECRET-TOKEN-2&_csrf=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'vigil_csrf=SECRET-COOKIE' },
      });
    } finally {
      await fastify.close();
    }
    const logged = lines.join('');
    expect(logged).toContain('"path":"/manage"');
    expect(logged).toContain('"path":"/manage/erase"');
    expect(logged).not.toMatch(/SECRET|token=|_csrf|vigil_csrf/);
  });
});
