import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../http/request-validation.error';
import { CsrfTokens, isFormPost, pageContext, sendPage } from '../pages/foundation';
import { ConfirmFormDto, SubscribeDto, TokenDto } from './subscribe.dto';
import { clientKey } from '../http/client-address';
import { SubscribeRateLimit } from './subscribe-rate-limit';
import { TokenLinkRateLimit } from './token-link-rate-limit';
import { confirmedPage, confirmPage, invalidLinkPage, unsubscribedPage, unsubscribePage } from './subscription-pages';
import { ConfirmSubscription, EndSubscription, StartSubscription } from './subscription.commands';

/** The public side of email alerts: double opt-in, and unsubscribing in one click (RFC 8058). */
@ApiTags('subscriptions')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly rateLimit: SubscribeRateLimit,
    private readonly csrf: CsrfTokens,
  ) {}

  /** The same answer whether the address is new, pending or active. */
  @Post()
  @HttpCode(202)
  async subscribe(
    @Body() body: SubscribeDto,
    @Req() request: FastifyRequest,
  ): Promise<{ status: 'pending_confirmation' }> {
    await this.rateLimit.take(clientKey(request));
    await this.commandBus.execute(new StartSubscription(body));
    return { status: 'pending_confirmation' };
  }

  @Get('confirm')
  @RouteConfig({ page: true })
  confirmForm(
    @Query() query: TokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    return sendPage(reply, confirmPage(pageContext(request), query.token, this.csrf.issue(request, reply)));
  }

  /** JSON for API clients; the page's form, which must carry the CSRF token of its cookie. */
  @Post('confirm')
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ acceptsForms: true, page: 'forms' })
  async confirm(
    @Body() body: ConfirmFormDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const form = isFormPost(request);
    if (form) this.csrf.verify(request, body._csrf);
    const result = await this.commandBus.execute(new ConfirmSubscription(body.token));
    if (form) {
      const context = pageContext(request, '/');
      return result ? sendPage(reply, confirmedPage(context)) : sendPage(reply, invalidLinkPage(context), 400);
    }
    if (!result) throw new RequestValidationError([{ path: 'token', message: 'is unknown, already used or expired' }]);
    return { status: 'active', subscriptionId: result.subscriptionId };
  }

  @Get('unsubscribe')
  @RouteConfig({ page: true })
  unsubscribeForm(
    @Query() query: TokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    return sendPage(reply, unsubscribePage(pageContext(request), query.token, this.csrf.issue(request, reply)));
  }

  /**
   * Any body: mail providers post `List-Unsubscribe=One-Click` as a form (RFC 8058), with no page and so no CSRF
   * token; the mailed token authorises it, and all it can do is stop the mails.
   */
  @Post('unsubscribe')
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ acceptsForms: true, acceptsAnyBody: true, page: 'forms' })
  async unsubscribe(
    @Query() query: TokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const ended = await this.commandBus.execute(new EndSubscription(query.token));
    if (!ended)
      throw new RequestValidationError([{ path: 'token', message: 'is not an unsubscribe token of this service' }]);
    if (isFormPost(request)) return sendPage(reply, unsubscribedPage(pageContext(request, '/')));
    return { status: 'unsubscribed' };
  }
}
