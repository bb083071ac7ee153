import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, Metrics, type VigilConfig } from '@vigil/platform';
import { createApiApp } from '../../apps/api/src/api-app';
import { TEST_ADMIN_TOKEN } from './test-environment';

export interface TestApi {
  app: NestFastifyApplication;
  baseUrl: string;
  /** fetch against the running API; `admin: true` adds the bearer token. */
  request(path: string, init?: RequestInit & { admin?: boolean; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** The real API on a real socket (127.0.0.1, a free port), as main.ts builds it. */
export async function startTestApi(config: VigilConfig): Promise<TestApi> {
  const logger = createLogger('vigil-api-test', process.env.LOG_LEVEL ?? 'silent');
  const app = await createApiApp(config, logger, new Metrics(false));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    request(path, { admin, json, headers, ...init } = {}) {
      const allHeaders = new Headers(headers);
      if (admin) allHeaders.set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
      if (json !== undefined) allHeaders.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, {
        ...init,
        headers: allHeaders,
        body: json !== undefined ? JSON.stringify(json) : init.body,
      });
    },
    close: () => app.close(),
  };
}
