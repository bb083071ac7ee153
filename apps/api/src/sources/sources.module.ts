import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { SourceSecrets } from './source-secrets';
import { SourcesController } from './sources.controller';
import { WebhookSignatureGuard } from './webhook-signature.guard';

/**
 * Sources and their secrets. A module that puts WebhookSignatureGuard on its routes imports this one:
 * Nest builds the guard in that module, from the SourceSecrets exported here (one cache per process).
 */
@Module({
  imports: [AdminAuthModule],
  controllers: [SourcesController],
  providers: [SourceSecrets, WebhookSignatureGuard],
  exports: [SourceSecrets, WebhookSignatureGuard],
})
export class SourcesModule {}
