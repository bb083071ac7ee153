import { Module } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';

/**
 * The admin bearer check, for every module with admin routes (admin reads, incidents, sources,
 * subscriptions): they import this small module, not each other.
 */
@Module({
  providers: [AdminTokenGuard],
  exports: [AdminTokenGuard],
})
export class AdminAuthModule {}
