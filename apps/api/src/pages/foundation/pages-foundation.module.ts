import { Module } from '@nestjs/common';
import { AssetsController } from './assets.controller';
import { CsrfTokens } from './csrf';

/** What every page module builds on: the assets and the CSRF tokens (docs/architecture.md, "Pages"). */
@Module({
  controllers: [AssetsController],
  providers: [CsrfTokens],
  exports: [CsrfTokens],
})
export class PagesFoundationModule {}
