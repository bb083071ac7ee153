import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Pool } from 'pg';
import { testConfig } from '../../../test/support/test-config';
import { databaseUrl } from '../../../test/support/test-environment';
import { connectionBudget, ordinaryPoolSize } from './database/connection-budget';
import { GENERIC_PLAN_POOL, GENERIC_PLAN_POOL_SIZE, GenericPlanPool } from './database/generic-plan-pool';
import { PG_POOL } from './database/pg-pool';
import { createLogger } from './observability/logger';
import { PlatformModule } from './platform.module';

/**
 * The pools a process is given (README, "Connection budget"): an API's search plans generically on sessions of
 * its own (decision 0028), a worker has no such pool. The pools open sessions on first use; Redis is the
 * shared test server.
 */
describe('PlatformModule.forRoot', () => {
  const config = testConfig({ databaseUrl: databaseUrl('postgres') });
  let context: INestApplicationContext | undefined;
  const start = async (applicationName: string, genericPlanSessions?: number): Promise<INestApplicationContext> => {
    const logger = createLogger(applicationName, 'silent');
    context = await NestFactory.createApplicationContext(
      PlatformModule.forRoot(config, logger, undefined, applicationName, genericPlanSessions),
      { logger: false },
    );
    return context;
  };
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('gives a process without generic-plan sessions (the worker) no GenericPlanPool, and DATABASE_POOL_SIZE to its pool', async () => {
    const worker = await start('vigil-worker');
    expect(() => worker.get(GENERIC_PLAN_POOL)).toThrow();
    // The budget counts a worker's pool as DATABASE_POOL_SIZE, besides its LISTEN and lock sessions.
    expect(worker.get<Pool>(PG_POOL).options.max).toBe(config.databasePoolSize);
  });

  it("gives the API its GenericPlanPool's sessions out of DATABASE_POOL_SIZE, the rest to its pool", async () => {
    const api = await start('vigil-api', GENERIC_PLAN_POOL_SIZE);
    expect(api.get(GENERIC_PLAN_POOL)).toBeInstanceOf(GenericPlanPool);
    expect(api.get<Pool>(PG_POOL).options.max).toBe(ordinaryPoolSize(config.databasePoolSize, GENERIC_PLAN_POOL_SIZE));
    // Both pools full: the sessions the budget counts for an API.
    expect(connectionBudget.api(config)).toBe(config.databasePoolSize);
  });
});
