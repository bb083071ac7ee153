import { writeFileSync } from 'node:fs';
import { createLogger, loadConfig, Metrics } from '@vigil/platform';
import { createApiApp } from '../apps/api/src/api-app';
import { withContext } from './context';

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789';
void withContext('prof', async (ctx) => {
  const config = loadConfig({
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.queuePrefix,
    ADMIN_TOKEN,
  });
  const app = await createApiApp(config, createLogger('bench-api', 'silent'), new Metrics(false));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const created = await fetch(`${base}/v1/admin/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench Monitor' }),
  });
  const source = (await created.json()) as { id: string; secret: string };
  writeFileSync(
    '/tmp/prof/target.json',
    JSON.stringify({ url: `${base}/v1/webhooks/incidents/${source.id}`, secret: source.secret, base }),
  );
  await new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()));
  await app.close();
});
