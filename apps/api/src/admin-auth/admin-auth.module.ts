import { Module } from '@nestjs/common';
import { AdminAuthFailures } from './admin-auth-failures';
import { AdminTokenGuard } from './admin-token.guard';

/**
 * The admin bearer check, for every module with admin routes (admin reads, incidents, sources,
 * subscriptions): they import this small module, not each other. Nest builds the guard in each module
 * that uses it, but the failure counts are one provider of this module, so they are one per process.
 */
@Module({
  providers: [AdminTokenGuard, { provide: AdminAuthFailures, useFactory: () => new AdminAuthFailures() }],
  exports: [AdminTokenGuard, AdminAuthFailures],
})
export class AdminAuthModule {}
