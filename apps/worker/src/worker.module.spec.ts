import { createLogger } from '@vigil/platform';
import { testConfig } from '../../../test/support/test-config';
import { WorkerModule } from './worker.module';

/** The worker refuses to be built on settings that would send a delivery twice (libs/delivery, deliverySettings). */
describe('WorkerModule.forRoot', () => {
  it('refuses a sweeper staleness shorter than a transport timeout before anything is built, naming both', () => {
    const config = testConfig({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/unused' });
    const logger = createLogger('vigil-worker-test', 'silent');
    const build = () => WorkerModule.forRoot(config, logger, undefined, { sweeper: { staleAfterMs: 300 } });
    expect(build).toThrow('sweeper.staleAfterMs (300 ms) is shorter than webhooks.timeoutMs (10000 ms)');
    expect(WorkerModule.forRoot(config, logger).providers).toEqual(expect.any(Array));
  });
});
