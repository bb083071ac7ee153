import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { PG_POOL, REDIS, type RedisClient, unreachableDependencies } from '@vigil/platform';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: RedisClient,
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
    const failed = await unreachableDependencies(this.pool, this.redis);
    if (failed.length) throw new ServiceUnavailableException(`not ready: ${failed.join(' and ')} unreachable`);
    return { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } };
  }
}
