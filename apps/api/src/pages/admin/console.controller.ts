import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { pageContext, sendPage } from '../foundation';
import type { QueueDepth } from '../../admin/queues.controller';
import { AdminApi, type ApiPage } from './admin-api';
import { FORM, lines, one, PAGE, segment, text, type Form, type Reply } from './console-forms';
import { AdminSessionGuard, SignInRedirectFilter, sessionCookie, sessionIdOf } from './admin-session.guard';
import { AdminSessions } from './admin-sessions';
import { ConsolePages, orRefusal } from './console-action';
import { seeOther } from './see-other';
import { to } from './screens/console-page';
import { dashboardPage, type ProjectionStatus } from './screens/dashboard';
import { incidentsPage, type IncidentFilters, type IncidentView } from './screens/incidents';
import { idempotencyKeyOf, recordIncidentPage, reportFromForm, type ReportForm } from './screens/record-incident';
import type { ReviewItem } from './screens/review';
import {
  deliveriesPage,
  eventsPage,
  secretPage,
  sourcesPage,
  subscriptionsPage,
  webhooksPage,
  type DeliveryView,
  type EmailSubscriptionView,
  type LogEntry,
  type SourceView,
  type WebhookView,
} from './screens/operations';

/** The dashboard counts this many review items at most ("100+"). */
const REVIEW_COUNTED = 100;

/**
 * The admin console (docs/console.md): pages over the admin API. Every read and every action is a call to the
 * API route an API client would use (AdminApi), so the console has no path to the data of its own; a new API
 * action becomes a console action with one form and one route here. Without a live session every route
 * redirects to the sign-in form; every POST carries the session's CSRF token (AdminSessionGuard).
 */
@ApiExcludeController()
@Controller('admin')
@UseGuards(AdminSessionGuard)
@UseFilters(SignInRedirectFilter)
export class ConsoleController {
  constructor(
    private readonly api: AdminApi,
    private readonly pages: ConsolePages,
    private readonly sessions: AdminSessions,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  @Post('logout')
  @HttpCode(303)
  @RouteConfig(FORM)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply): Promise<string> {
    await this.sessions.end(sessionIdOf(request));
    void reply.header('set-cookie', sessionCookie(this.config, undefined));
    return seeOther(reply, to(pageContext(request), '/admin/sign-in'));
  }

  // Dashboard and projections

  @Get()
  @RouteConfig(PAGE)
  async dashboard(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply): Promise<string> {
    // One after the other: a page needs one database connection at a time, not three.
    const status = await this.api.get<{ headPosition: number; projections: ProjectionStatus[] }>(
      request,
      '/v1/admin/projections',
    );
    const dead = await this.api.get<ApiPage<unknown>>(request, '/v1/admin/deliveries', { status: 'dead', limit: 500 });
    // Redis away: the dashboard still shows the log and the projections, and says the queues cannot be read.
    const queues = await this.api.get<{ queues: QueueDepth[] }>(request, '/v1/admin/queues').then(
      (answer) => answer.queues,
      () => undefined,
    );
    const review = await this.api.get<ApiPage<ReviewItem>>(request, '/v1/admin/review', { limit: REVIEW_COUNTED });
    return sendPage(
      reply,
      dashboardPage(this.pages.context(request), {
        headPosition: status.headPosition,
        projections: status.projections,
        queues,
        dead: { count: dead.items.length, more: dead.nextCursor !== null && dead.items.length === 500 },
        review: { items: review.items, more: review.nextCursor !== null },
      }),
    );
  }

  @Post('projections/:name/rebuild')
  @RouteConfig(FORM)
  async rebuild(@Param('name') name: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    await this.api.post(request, `/v1/admin/projections/${segment(name)}/rebuild`);
    return this.pages.done(request, reply, '/admin', 'rebuilding');
  }

  @Post('projections/:name/resume')
  @RouteConfig(FORM)
  async resume(@Param('name') name: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    await this.api.post(request, `/v1/admin/projections/${segment(name)}/resume`);
    return this.pages.done(request, reply, '/admin', 'resumed');
  }

  // Incidents

  @Get('incidents')
  @RouteConfig(PAGE)
  async incidents(
    @Query() query: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ): Promise<string> {
    const filters: IncidentFilters = {
      type: one(query.type) || undefined,
      from: one(query.from) || undefined,
      to: one(query.to) || undefined,
      personId: one(query.personId) || undefined,
      organizationId: one(query.organizationId) || undefined,
      verification: one(query.verification) || undefined,
      sourceId: one(query.sourceId) || undefined,
    };
    const page = await this.api.get<ApiPage<IncidentView>>(request, '/v1/admin/incidents', {
      ...filters,
      cursor: one(query.cursor),
    });
    // The registered sources, to filter by one of them (by name).
    const sources = await this.api.get<ApiPage<SourceView>>(request, '/v1/admin/sources', { limit: 500 });
    return sendPage(reply, incidentsPage(this.pages.context(request), filters, page, sources.items));
  }

  @Get('incidents/new')
  @RouteConfig(PAGE)
  recordForm(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply): string {
    return sendPage(reply, recordIncidentPage(this.pages.context(request)));
  }

  /** The admin intake: the form becomes the API's report body; a refused report shows the form again with why. */
  @Post('incidents')
  @RouteConfig(FORM)
  async record(@Body() form: ReportForm, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const key = idempotencyKeyOf(form);
    return orRefusal(
      async () => {
        const answer = await this.api.post<{ incidentId: string }>(
          request,
          '/v1/admin/incidents',
          reportFromForm(form),
          key ? { 'idempotency-key': key } : {},
        );
        const path = `/admin/incidents/${answer.incidentId}`;
        return this.pages.done(request, reply, path, 'recorded', ['incidents'], answer);
      },
      // Only a 400 with the fields that are wrong is shown on the form; any other error is the error page.
      [],
      async (refusal) =>
        sendPage(
          reply,
          recordIncidentPage(this.pages.context(request, '/admin/incidents/new'), form, refusal.errors),
          400,
        ),
    );
  }

  // An incident's page, its conflicts and merges: console-incidents.controller.ts.

  @Post('incidents/:id/confirm')
  @RouteConfig(FORM)
  async confirm(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const source = text(form.source);
    const answer = await this.api.post(
      request,
      `/v1/admin/incidents/${segment(id)}/confirm`,
      source ? { source: { name: source } } : {},
    );
    return this.pages.done(request, reply, `/admin/incidents/${id}`, 'confirmed', ['incidents'], answer);
  }

  @Post('incidents/:id/retract')
  @RouteConfig(FORM)
  async retract(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const answer = await this.api.post(request, `/v1/admin/incidents/${segment(id)}/retract`, {
      reason: one(form.reason) ?? '',
    });
    return this.pages.done(request, reply, `/admin/incidents/${id}`, 'retracted', ['incidents'], answer);
  }

  // Persons, organisations and the review list: console-identity.controller.ts

  // Sources

  @Get('sources')
  @RouteConfig(PAGE)
  async sources(@Query() query: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const page = await this.api.get<ApiPage<SourceView>>(request, '/v1/admin/sources', { cursor: one(query.cursor) });
    return sendPage(reply, sourcesPage(this.pages.context(request), page));
  }

  /** The secret is shown on the answer page itself: never in a redirect URL, never again. */
  @Post('sources')
  @HttpCode(201)
  @RouteConfig(FORM)
  async createSource(@Body() form: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const issued = await this.api.post<{ id: string; name: string; secret: string }>(request, '/v1/admin/sources', {
      name: one(form.name) ?? '',
      ...(one(form.kind) ? { kind: one(form.kind) } : {}),
    });
    return sendPage(
      reply,
      secretPage(this.pages.context(request, '/admin/sources'), 'sources', '/admin/sources', issued),
      201,
    );
  }

  @Post('sources/:id/rotate-secret')
  @HttpCode(200)
  @RouteConfig(FORM)
  async rotateSource(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const issued = await this.api.post<{ id: string; name: string; secret: string }>(
      request,
      `/v1/admin/sources/${segment(id)}/rotate-secret`,
      one(form.revokeOldNow) === 'true' ? { revokeOldNow: true } : {},
    );
    return sendPage(
      reply,
      secretPage(this.pages.context(request, '/admin/sources'), 'sources', '/admin/sources', issued),
    );
  }

  @Post('sources/:id/:change(disable|enable)')
  @RouteConfig(FORM)
  async switchSource(
    @Param('id') id: string,
    @Param('change') change: 'disable' | 'enable',
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    await this.api.post(request, `/v1/admin/sources/${segment(id)}/${change}`);
    return this.pages.done(request, reply, '/admin/sources', change === 'disable' ? 'disabled' : 'enabled');
  }

  // Webhook subscriptions

  @Get('webhooks')
  @RouteConfig(PAGE)
  async webhooks(@Query() query: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const page = await this.api.get<ApiPage<WebhookView>>(request, '/v1/admin/webhook-subscriptions', {
      cursor: one(query.cursor),
    });
    return sendPage(reply, webhooksPage(this.pages.context(request), page));
  }

  @Post('webhooks')
  @HttpCode(201)
  @RouteConfig(FORM)
  async createWebhook(@Body() form: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const types = [form.types ?? []].flat();
    const issued = await this.api.post<{ id: string; secret: string }>(request, '/v1/admin/webhook-subscriptions', {
      url: one(form.url) ?? '',
      watch: { persons: lines(form.persons), organizations: lines(form.organizations) },
      ...(types.length ? { types } : {}),
    });
    return sendPage(
      reply,
      secretPage(this.pages.context(request, '/admin/webhooks'), 'webhooks', '/admin/webhooks', {
        ...issued,
        name: one(form.url),
      }),
      201,
    );
  }

  @Post('webhooks/:id/delete')
  @RouteConfig(FORM)
  async deleteWebhook(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    await this.api.delete(request, `/v1/admin/webhook-subscriptions/${segment(id)}`);
    return this.pages.done(request, reply, '/admin/webhooks', 'deleted');
  }

  // Deliveries

  @Get('deliveries')
  @RouteConfig(PAGE)
  async deliveries(@Query() query: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const filters = {
      status: one(query.status) || undefined,
      channel: one(query.channel) || undefined,
      subscriptionId: one(query.subscriptionId) || undefined,
      incidentId: one(query.incidentId) || undefined,
    };
    const page = await this.api.get<ApiPage<DeliveryView>>(request, '/v1/admin/deliveries', {
      ...filters,
      cursor: one(query.cursor),
    });
    return sendPage(reply, deliveriesPage(this.pages.context(request), filters, page));
  }

  @Post('deliveries/:id/retry')
  @RouteConfig(FORM)
  async retry(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    await this.api.post(request, `/v1/admin/deliveries/${segment(id)}/retry`);
    return this.pages.done(request, reply, '/admin/deliveries', 'retried');
  }

  // Email subscriptions

  @Get('subscriptions')
  @RouteConfig(PAGE)
  async subscriptions(@Query() query: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const page = await this.api.get<ApiPage<EmailSubscriptionView>>(request, '/v1/admin/subscriptions', {
      cursor: one(query.cursor),
    });
    return sendPage(reply, subscriptionsPage(this.pages.context(request), page, one(query.reveal)));
  }

  @Post('subscriptions/:id/erase')
  @RouteConfig(FORM)
  async erase(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    await this.api.delete(request, `/v1/admin/subscriptions/${segment(id)}`);
    return this.pages.done(request, reply, '/admin/subscriptions', 'erased');
  }

  // The event log

  @Get('events')
  @RouteConfig(PAGE)
  async events(@Query() query: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const page = await this.api.get<ApiPage<LogEntry>>(request, '/v1/admin/events', { cursor: one(query.cursor) });
    return sendPage(reply, eventsPage(this.pages.context(request), page));
  }
}
