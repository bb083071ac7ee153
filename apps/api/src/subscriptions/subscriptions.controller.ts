import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../http/request-validation.error';
import { SubscribeDto, TokenDto } from './subscribe.dto';
import { clientKey } from '../http/client-address';
import { SubscribeRateLimit } from './subscribe-rate-limit';
import { TokenLinkRateLimit } from './token-link-rate-limit';
import { confirmPage, messagePage, unsubscribePage } from './subscription-pages';
import { ConfirmSubscription, EndSubscription, StartSubscription } from './subscription.commands';

const isForm = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

/** The public side of email alerts: double opt-in, and unsubscribing in one click (RFC 8058). */
@ApiTags('subscriptions')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly rateLimit: SubscribeRateLimit,
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
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  confirmForm(@Query() query: TokenDto): string {
    return confirmPage(query.token);
  }

  @Post('confirm')
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ acceptsForms: true })
  async confirm(
    @Body() body: TokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commandBus.execute(new ConfirmSubscription(body.token));
    if (isForm(request)) {
      void reply.status(result ? 200 : 400).header('content-type', 'text/html; charset=utf-8');
      return result
        ? messagePage('Subscription confirmed', 'You will receive an alert when an incident names what you watch.')
        : messagePage('Link not valid', 'This confirmation link is unknown, already used or expired.');
    }
    if (!result) throw new RequestValidationError([{ path: 'token', message: 'is unknown, already used or expired' }]);
    return { status: 'active', subscriptionId: result.subscriptionId };
  }

  @Get('unsubscribe')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  unsubscribeForm(@Query() query: TokenDto): string {
    return unsubscribePage(query.token);
  }

  /** Any body: mail providers post `List-Unsubscribe=One-Click` as a form (RFC 8058). */
  @Post('unsubscribe')
  @HttpCode(200)
  @UseGuards(TokenLinkRateLimit)
  @RouteConfig({ acceptsForms: true, acceptsAnyBody: true })
  async unsubscribe(
    @Query() query: TokenDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const ended = await this.commandBus.execute(new EndSubscription(query.token));
    if (!ended)
      throw new RequestValidationError([{ path: 'token', message: 'is not an unsubscribe token of this service' }]);
    if (isForm(request)) {
      void reply.header('content-type', 'text/html; charset=utf-8');
      return messagePage(
        'Unsubscribed',
        'You will receive no further alerts from this subscription, and your address is erased from it.',
      );
    }
    return { status: 'unsubscribed' };
  }
}
