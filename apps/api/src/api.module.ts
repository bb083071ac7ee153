import { DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { GENERIC_PLAN_POOL_SIZE, PlatformModule, type Logger, type Metrics, type VigilConfig } from '@vigil/platform';
import { AdminModule } from './admin/admin.module';
import { LogPositionHeader } from './http/log-position';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { IntakeModule } from './intake/intake.module';
import { OperationsModule } from './operations/operations.module';
import { ReviewModule } from './review/review.module';
import { PagesFoundationModule } from './pages/foundation/pages-foundation.module';
import { PublicPagesModule } from './pages/public/public-pages.module';
import { AdminConsoleModule } from './pages/admin/admin-console.module';
import { SourcesModule } from './sources/sources.module';
import { SubjectIdentityModule } from './subjects/subject-identity.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

/**
 * Imports the feature modules; its only providers of its own are app-wide: the problem+json filter, and the
 * `Vigil-Log-Position` header of every answer that carries a log position.
 */
@Module({})
export class ApiModule {
  /** `extra`: modules a bench adds beside the API's own (the search bench's floor); production adds none. */
  static forRoot(config: VigilConfig, logger: Logger, metrics?: Metrics, extra: Type[] = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, logger, metrics, 'vigil-api', GENERIC_PLAN_POOL_SIZE),
        OperationsModule,
        AdminModule,
        IntakeModule,
        SubscriptionsModule,
        SourcesModule,
        ReviewModule,
        PagesFoundationModule,
        PublicPagesModule,
        SubjectIdentityModule,
        AdminConsoleModule,
        ...extra,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: LogPositionHeader },
      ],
    };
  }
}
