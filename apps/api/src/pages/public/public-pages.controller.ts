import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Deliveries, EmailSubscriptions, type ManagedSubscription } from '@vigil/alerts';
import { GENERIC_PLAN_POOL, type GenericPlanPool } from '@vigil/platform';
import { clientKey } from '../../http/client-address';
import { RateLimitedError } from '../../http/rate-limited.error';
import { RequestValidationError } from '../../http/request-validation.error';
import { TokenBuckets } from '../../http/token-buckets';
import { createValidationPipe } from '../../http/validation.pipe';
import { suggestNames } from '../../read-models/subject-read-model';
import {
  ChangeSubscription,
  EraseSubscription,
  PauseSubscription,
} from '../../subscriptions/manage-subscription.commands';
import { MailChoicesDto, SubscribeDto } from '../../subscriptions/subscribe.dto';
import { SubscribeRateLimit } from '../../subscriptions/subscribe-rate-limit';
import { EndSubscription, StartSubscription } from '../../subscriptions/subscription.commands';
import { invalidLinkPage, unsubscribedPage } from '../../subscriptions/subscription-pages';
import { TokenLinkRateLimit } from '../../subscriptions/token-link-rate-limit';
import { CsrfTokens, languageOf, messagePage, pageContext, sendPage, withLanguage } from '../foundation';
import { homePage, subscribedPage } from './home.page';
import { DONE_NOTICES, managePage } from './manage.page';
import { SuggestionsQueryDto } from './suggestions-query.dto';
import type { FieldErrors, WatchFormValues } from './watch-fields';
import { formErrors, readWatchForm } from './watch-form-input';
import { isLanguage } from '@vigil/i18n';

type Form = Record<string, string | string[] | undefined>;

const RECENT_ALERTS = 10;
const SUGGESTIONS = 8;
const NO_ERRORS: FieldErrors = new Map();

/** A form body as parsed; anything else (a JSON null, an array) is an empty form, refused by its CSRF check. */
const formOf = (body: unknown): Form =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Form) : {};

const tokenIn = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length >= 1 && value.length <= 200 ? value : undefined;

/**
 * The public pages (docs/api.md, "Pages"): the start page with the subscribe form, and the manage page behind the
 * token every mail carries. GETs change nothing; every change is a POST with the CSRF token, dispatched to the
 * same command handlers as the JSON API.
 */
@ApiTags('pages')
@Controller()
export class PublicPagesController {
  private readonly validate = createValidationPipe();
  /** Suggestions come as one types: 30 at once per client, then 5 a second. */
  private readonly suggestionBuckets = new TokenBuckets({ perSecond: 5, burst: 30, maxKeys: 10_000 });

  constructor(
    private readonly commandBus: CommandBus,
    private readonly csrf: CsrfTokens,
    private readonly rateLimit: SubscribeRateLimit,
    private readonly subscriptions: EmailSubscriptions,
    private readonly deliveries: Deliveries,
    @Inject(GENERIC_PLAN_POOL) private readonly genericPlans: GenericPlanPool,
  ) {}

  @Get()
  @ApiExcludeEndpoint()
  @RouteConfig({ page: true })
  home(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const context = pageContext(request);
    const values: WatchFormValues = {
      persons: [],
      organizations: [],
      types: [],
      language: context.language,
      content: 'full',
    };
    return sendPage(reply, homePage(context, this.csrf.issue(request, reply), values, NO_ERRORS));
  }

  /** The form of the start page: the same DTO rules, rate limit and StartSubscription as POST /v1/subscriptions. */
  @Post('subscribe')
  @ApiExcludeEndpoint()
  @HttpCode(200)
  @RouteConfig({ page: true, acceptsForms: true })
  async subscribe(
    @Body() raw: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = formOf(raw);
    this.csrf.verify(request, body._csrf);
    const context = pageContext(request, '/');
    const { values, request: fields } = readWatchForm(body, context.language);
    try {
      const dto = (await this.validate.transform(
        { ...fields, email: values.email ?? '' },
        { type: 'body', metatype: SubscribeDto },
      )) as SubscribeDto;
      await this.rateLimit.take(clientKey(request));
      await this.commandBus.execute(new StartSubscription(dto));
    } catch (error) {
      if (!(error instanceof RequestValidationError)) throw error;
      const page = homePage(context, this.csrf.issue(request, reply), values, formErrors(error.errors));
      return sendPage(reply, page, 400);
    }
    return sendPage(reply, subscribedPage(context));
  }

  @Get('manage')
  @ApiExcludeEndpoint()
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ page: true })
  async manage(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = request.query as Record<string, unknown>;
    const token = tokenIn(query.token);
    const subscription = token ? await this.subscriptions.managed(token) : undefined;
    // Without ?lang= the page speaks the subscription's language, whatever the browser says.
    const language = isLanguage(query.lang) ? query.lang : subscription?.language;
    const context = pageContext(request, `/manage?token=${encodeURIComponent(token ?? '')}`, language);
    if (!token || !subscription) return sendPage(reply, invalidLinkPage(context), 404);
    const done = typeof query.done === 'string' ? DONE_NOTICES[query.done] : undefined;
    return this.renderManage(request, reply, context, token, subscription, NO_ERRORS, undefined, done);
  }

  /** The change form: the watch list goes through the same resolver and DTO rules as a new subscription. */
  @Post('manage')
  @ApiExcludeEndpoint()
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ page: true, acceptsForms: true })
  async change(@Body() raw: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = formOf(raw);
    const { token, context } = this.checkedForm(request, body);
    const { values, request: fields } = readWatchForm(body, context.language);
    try {
      const dto = (await this.validate.transform(fields, { type: 'body', metatype: MailChoicesDto })) as MailChoicesDto;
      const changed = await this.commandBus.execute(new ChangeSubscription(token, dto));
      if (!changed) return sendPage(reply, invalidLinkPage(context), 404);
      // The page in the language just chosen: a subscriber who switched to Persian reads the answer in Persian.
      return this.backToManage(reply, token, dto.language ?? context.language, 'saved');
    } catch (error) {
      if (!(error instanceof RequestValidationError)) throw error;
      const subscription = await this.subscriptions.managed(token);
      if (!subscription) return sendPage(reply, invalidLinkPage(context), 404);
      return this.renderManage(
        request,
        reply,
        context,
        token,
        subscription,
        formErrors(error.errors),
        values,
        undefined,
        400,
      );
    }
  }

  @Post('manage/pause')
  @ApiExcludeEndpoint()
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ page: true, acceptsForms: true })
  pause(@Body() raw: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.setPaused(formOf(raw), request, reply, true);
  }

  @Post('manage/resume')
  @ApiExcludeEndpoint()
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ page: true, acceptsForms: true })
  resume(@Body() raw: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.setPaused(formOf(raw), request, reply, false);
  }

  @Post('manage/unsubscribe')
  @ApiExcludeEndpoint()
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ page: true, acceptsForms: true })
  async unsubscribe(
    @Body() raw: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { token, context } = this.checkedForm(request, formOf(raw));
    const ended = await this.commandBus.execute(new EndSubscription(token));
    return ended ? sendPage(reply, unsubscribedPage(context)) : sendPage(reply, invalidLinkPage(context), 404);
  }

  @Post('manage/erase')
  @ApiExcludeEndpoint()
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ page: true, acceptsForms: true })
  async erase(@Body() raw: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { token, context } = this.checkedForm(request, formOf(raw));
    const erased = await this.commandBus.execute(new EraseSubscription(token));
    if (!erased) return sendPage(reply, invalidLinkPage(context), 404);
    return sendPage(reply, messagePage(context, context.t('erased.title'), [context.t('erased.body')]));
  }

  /** Names incidents already made public, for the subscribe form's suggestions; nothing about subscribers. */
  @Get('suggestions')
  async suggestions(@Query() query: SuggestionsQueryDto, @Req() request: FastifyRequest) {
    const wait = this.suggestionBuckets.take(clientKey(request));
    if (wait !== undefined) throw new RateLimitedError(wait, 'too many suggestion requests from this address');
    return { names: await suggestNames(this.genericPlans, query.kind, query.q, SUGGESTIONS) };
  }

  private async setPaused(body: Form, request: FastifyRequest, reply: FastifyReply, paused: boolean) {
    const { token, context } = this.checkedForm(request, body);
    await this.commandBus.execute(new PauseSubscription(token, paused));
    return this.backToManage(reply, token, context.language, paused ? 'paused' : 'resumed');
  }

  /** Every manage form: the CSRF token first (nothing is read before it passes), then the manage token. */
  private checkedForm(request: FastifyRequest, body: Form) {
    this.csrf.verify(request, body._csrf);
    const token = tokenIn(body.token);
    if (!token) throw new RequestValidationError([{ path: 'token', message: 'is missing' }]);
    return { token, context: pageContext(request, withLanguage('/', languageOf(request))) };
  }

  /** Post/redirect/get: a reload shows the page again and sends nothing twice. */
  private backToManage(reply: FastifyReply, token: string, language: string, done: string): string {
    const location = `/manage?token=${encodeURIComponent(token)}&lang=${language}&done=${done}`;
    void reply.status(303).header('location', location).header('cache-control', 'no-store');
    return '';
  }

  private async renderManage(
    request: FastifyRequest,
    reply: FastifyReply,
    context: ReturnType<typeof pageContext>,
    token: string,
    subscription: ManagedSubscription,
    errors: FieldErrors,
    shown?: WatchFormValues,
    done?: (typeof DONE_NOTICES)[string],
    status = 200,
  ): Promise<string> {
    const recent = await this.deliveries.recentForSubscription(subscription.id, RECENT_ALERTS);
    const values: WatchFormValues = shown ?? {
      persons: subscription.watch.persons,
      organizations: subscription.watch.organizations,
      types: subscription.types ?? [],
      language: subscription.language,
      content: subscription.content,
    };
    const page = managePage(
      context,
      token,
      this.csrf.issue(request, reply),
      subscription,
      values,
      errors,
      recent,
      done,
    );
    return sendPage(reply, page, status);
  }
}
