import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import {
  BearerToken,
  ErrorReporter,
  isDependencyUnavailable,
  LOGGER,
  Metrics,
  PG_POOL,
  REDIS,
  type RedisClient,
  unreachableDependencies,
  PROBLEM_CONTENT_TYPE,
  problem,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  VIGIL_CONFIG,
  type Logger,
  type VigilConfig,
} from '@vigil/platform';

/** The interface the worker's HTTP server binds: every one in a container, the loopback in tests. */
export const WORKER_HTTP_HOST = Symbol('WORKER_HTTP_HOST');

/**
 * The worker's own port (WORKER_PORT): `/health/live`, `/health/ready` (PostgreSQL and Redis) and
 * `/metrics` (its registry: queues, delivery outcomes, background errors, consumer lag), behind
 * METRICS_TOKEN when it is set. A bare node:http server: three read-only routes need no framework.
 * Refusals are problem+json shaped like the API's (docs/api.md, "Errors").
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;
  private readonly token?: BearerToken;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(WORKER_HTTP_HOST) private readonly host: string,
    private readonly metrics: Metrics,
    private readonly errors: ErrorReporter,
  ) {
    this.token = config.metricsToken ? new BearerToken(config.metricsToken) : undefined;
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    });
    // A prober that stalls must not hold a socket for long.
    this.server.requestTimeout = 10_000;
    this.server.headersTimeout = 10_000;
  }

  /** The port it listens on (the one the kernel chose when WORKER_PORT is 0, in tests). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.workerPort, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.info({ port: this.port }, 'worker health and metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive sockets of a scraper would hold close() open until they time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const route = ['/health/live', '/health/ready', '/metrics'].includes(path) ? path : undefined;
    if (!route)
      return this.problem(response, 404, 'no such route: the worker serves /health/live, /health/ready and /metrics');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return this.problem(response, 405, 'only GET and HEAD are served here');
    }
    if (route === '/health/live') return this.json(response, 200, { status: 'ok' });
    if (route === '/health/ready') {
      const failed = await unreachableDependencies(this.pool, this.redis);
      if (!failed.length) return this.json(response, 200, { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
      response.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return this.problem(response, 503, `not ready: ${failed.join(' and ')} unreachable`);
    }
    if (this.token && !this.token.matches(request.headers.authorization)) {
      response.setHeader('www-authenticate', 'Bearer');
      return this.problem(response, 401, 'a valid metrics bearer token is required');
    }
    const body = await this.metrics.registry.metrics();
    response.writeHead(200, { 'content-type': this.metrics.registry.contentType, 'cache-control': 'no-store' });
    response.end(body);
  }

  private fail(response: ServerResponse, error: unknown): void {
    this.errors.report('worker-http', error);
    if (response.headersSent) return void response.destroy();
    if (isDependencyUnavailable(error)) {
      response.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return this.problem(response, 503, 'the worker cannot reach its database or queue right now');
    }
    this.problem(response, 500, 'an unexpected error occurred; see the worker log');
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  }

  private problem(response: ServerResponse, status: number, detail: string): void {
    response.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
    response.end(JSON.stringify(problem(status, detail)));
  }
}
