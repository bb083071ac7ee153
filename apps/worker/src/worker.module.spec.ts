import type { DynamicModule } from '@nestjs/common';
import { createLogger, GENERIC_PLAN_POOL, PlatformModule } from '@vigil/platform';
import { testConfig } from '../../../test/support/test-config';
import { WorkerModule } from './worker.module';

describe('WorkerModule.forRoot', () => {
  const config = testConfig({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/unused' });
  const logger = createLogger('vigil-worker-test', 'silent');

  /** The worker refuses to be built on settings that would send a delivery twice (libs/delivery, deliverySettings). */
  it('refuses a sweeper staleness shorter than a transport timeout before anything is built, naming both', () => {
    const build = () => WorkerModule.forRoot(config, logger, undefined, { sweeper: { staleAfterMs: 300 } });
    expect(build).toThrow('sweeper.staleAfterMs (300 ms) is shorter than webhooks.timeoutMs (10000 ms)');
    expect(WorkerModule.forRoot(config, logger).providers).toEqual(expect.any(Array));
  });

  it("asks its platform for no GenericPlanPool: the generic-plan sessions are the API's search's (decision 0028)", () => {
    const platform = WorkerModule.forRoot(config, logger).imports?.find(
      (imported): imported is DynamicModule => (imported as DynamicModule).module === PlatformModule,
    );
    expect(platform?.exports).toEqual(expect.any(Array));
    expect(platform?.exports).not.toContain(GENERIC_PLAN_POOL);
  });
});
