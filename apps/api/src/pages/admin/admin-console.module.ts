import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../../admin-auth/admin-auth.module';
import { PagesFoundationModule } from '../foundation/pages-foundation.module';
import { AdminApi } from './admin-api';
import { AdminSessionGuard, ConsoleCsrf } from './admin-session.guard';
import { AdminSessions } from './admin-sessions';
import { ConsolePages } from './console-action';
import { ConsoleIncidentsController } from './console-incidents.controller';
import { ConsoleController } from './console.controller';
import { ConsoleIdentityController } from './console-identity.controller';
import { ReadYourWrites } from './read-your-writes';
import { SignInController } from './sign-in.controller';

/** The admin console at /admin (docs/console.md): sessions, and pages over the admin API. */
@Module({
  imports: [AdminAuthModule, PagesFoundationModule],
  controllers: [SignInController, ConsoleController, ConsoleIncidentsController, ConsoleIdentityController],
  providers: [AdminSessions, AdminSessionGuard, ConsoleCsrf, AdminApi, ReadYourWrites, ConsolePages],
})
export class AdminConsoleModule {}
