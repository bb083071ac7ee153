import { Module } from '@nestjs/common';
import { VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { SourceRateLimit } from './source-rate-limit';
import { SourceSecrets } from './source-secrets';
import { SourcesController } from './sources.controller';
import { WebhookSignatureGuard } from './webhook-signature.guard';

/**
 * Sources and their secrets. A module that puts WebhookSignatureGuard on its routes imports this one:
 * Nest builds the guard in that module, from the SourceSecrets and SourceRateLimit exported here (one
 * cache and one set of rate limits per process).
 */
@Module({
  imports: [AdminAuthModule],
  controllers: [SourcesController],
  providers: [
    SourceSecrets,
    {
      provide: SourceRateLimit,
      inject: [VIGIL_CONFIG],
      useFactory: (config: VigilConfig) => new SourceRateLimit(config.sourceRateLimit),
    },
    WebhookSignatureGuard,
  ],
  exports: [SourceSecrets, SourceRateLimit, WebhookSignatureGuard],
})
export class SourcesModule {}
