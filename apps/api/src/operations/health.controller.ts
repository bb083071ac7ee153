import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { PG_POOL, REDIS } from '@vigil/platform';

const CHECK_TIMEOUT_MS = 1_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up; says nothing about its dependencies (restart only if this fails). */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Postgres and Redis answer; a load balancer sends no traffic while this is 503. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'ok'> }> {
    const [postgres, redis] = await Promise.allSettled([
      withTimeout(this.pool.query('SELECT 1'), 'postgres'),
      withTimeout(this.redis.ping(), 'redis'),
    ]);
    const failed = [postgres.status === 'rejected' && 'postgres', redis.status === 'rejected' && 'redis'].filter(
      Boolean,
    );
    if (failed.length) throw new ServiceUnavailableException(`not ready: ${failed.join(' and ')} unreachable`);
    return { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } };
  }
}
