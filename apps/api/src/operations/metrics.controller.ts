import { Controller, Get, Header, Inject, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BearerToken, Metrics, VIGIL_CONFIG, type VigilConfig } from '@vigil/platform';

@Controller('metrics')
export class MetricsController {
  /** METRICS_TOKEN; without it /metrics is open (keep it off the public network, docs/api.md "Operations"). */
  private readonly token?: BearerToken;

  constructor(
    private readonly metrics: Metrics,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
  ) {
    this.token = config.metricsToken ? new BearerToken(config.metricsToken) : undefined;
  }

  /** Prometheus text exposition of this process's registry. */
  @Get()
  @ApiExcludeEndpoint()
  @Header('cache-control', 'no-store')
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.token && !this.token.matches(request.headers.authorization)) {
      throw new UnauthorizedException('a valid metrics bearer token is required');
    }
    const body = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(body);
  }
}
