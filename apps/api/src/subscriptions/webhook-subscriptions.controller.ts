import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsString, isUUID, MaxLength } from 'class-validator';
import { WebhookSubscriptions, type WebhookSubscriptionView } from '@vigil/alerts';
import { parseWebhookUrl, resolveWebhookTarget, UnsafeWebhookTargetError } from '@vigil/delivery';
import { VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { ListQueryDto } from '../http/list-query.dto';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { RequestValidationError } from '../http/request-validation.error';
import { WatchRequestDto } from './subscribe.dto';
import { WatchListResolver } from './watch-list';

export class WebhookSubscriptionDto extends WatchRequestDto {
  @IsString()
  @MaxLength(2048)
  url: string;
}

const WEBHOOK_SUBSCRIPTIONS_CURSOR = new ListCursor('webhook-subscriptions', {
  createdAtUs: KEY.epochMicroseconds,
  id: KEY.uuid,
});

/** Partner systems that receive signed alerts. The target is checked against private networks here and at every delivery. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/webhook-subscriptions')
export class WebhookSubscriptionsController {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly watchList: WatchListResolver,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  /** The secret is shown once, here. */
  @Post()
  async create(@Body() body: WebhookSubscriptionDto): Promise<{ id: string; secret: string }> {
    try {
      await resolveWebhookTarget(parseWebhookUrl(body.url), { allowPrivate: this.config.webhookAllowPrivateTargets });
    } catch (error) {
      if (error instanceof UnsafeWebhookTargetError) {
        throw new RequestValidationError([{ path: 'url', message: error.message }]);
      }
      // A host that does not resolve is the admin's typo, not our failure.
      const code = (error as { code?: string }).code;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
        throw new RequestValidationError([{ path: 'url', message: `the host does not resolve (${code})` }]);
      }
      throw error;
    }
    return this.subscriptions.create(
      body.url,
      await this.watchList.resolve(body.watch),
      body.types,
      body.minVerification,
    );
  }

  /** Oldest first. */
  @Get()
  async list(@Query() query: ListQueryDto): Promise<Page<WebhookSubscriptionView>> {
    const after = WEBHOOK_SUBSCRIPTIONS_CURSOR.decode(query.cursor);
    return WEBHOOK_SUBSCRIPTIONS_CURSOR.page(await this.subscriptions.list(query.limit, after));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    if (!isUUID(id) || !(await this.subscriptions.remove(id)))
      throw new NotFoundException('no webhook subscription has this id');
  }

  /** A new secret; the old one keeps signing alongside it for 24 hours. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotate(@Param('id') id: string): Promise<{ id: string; secret: string }> {
    const rotated = isUUID(id) ? await this.subscriptions.rotate(id) : undefined;
    if (!rotated) throw new NotFoundException('no webhook subscription has this id');
    return rotated;
  }
}
