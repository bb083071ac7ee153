import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { resealSubscriberData } from '@vigil/alerts';
import { ErrorReporter, LOGGER, PG_POOL, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { SourceSecrets } from '../sources/source-secrets';

/**
 * At start, the API seals again with SECRETS_KEY every value sealed under SECRETS_KEY_PREVIOUS (or in the
 * older format, or kept in clear before sealing existed): source and webhook secrets, unsubscribe tokens,
 * subscriber addresses with their blind index, watch labels. In the background: the API answers meanwhile,
 * opening old values with the previous key. Once the log says the pass is done, SECRETS_KEY_PREVIOUS can go
 * (docs/decisions/0012-subscriber-data-sealed-and-erased.md).
 */
@Injectable()
export class SealedDataRotation implements OnApplicationBootstrap {
  /** The pass under way, for tests and for shutdown to wait on. */
  pass?: Promise<number>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly sources: SourceSecrets,
    private readonly errors: ErrorReporter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.pass = this.run().catch((error: unknown) => {
      this.errors.report('sealed-data-rotation', error);
      return 0;
    });
  }

  private async run(): Promise<number> {
    const resealed = (await this.sources.resealAll()) + (await resealSubscriberData(this.pool, this.config));
    if (resealed || this.config.previousSecretsKeys.length) {
      this.logger.info(
        { resealed },
        'sealed values sealed again with SECRETS_KEY; SECRETS_KEY_PREVIOUS is no longer needed',
      );
    }
    return resealed;
  }
}
