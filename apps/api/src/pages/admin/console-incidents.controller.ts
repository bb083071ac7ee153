import { Body, Controller, Get, HttpException, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { pageContext, sendPage } from '../foundation';
import { AdminApi, type ApiPage } from './admin-api';
import { FORM, PAGE, segment, text, type Form, type Reply } from './console-forms';
import { AdminSessionGuard, SignInRedirectFilter } from './admin-session.guard';
import { ConsolePages, orRefusal } from './console-action';
import { seeOther } from './see-other';
import { afterAction, type Refusal } from './screens/console-page';
import { resolutionFromForm, type DuplicateView } from './screens/incident-verification';
import { incidentPage, type IncidentView } from './screens/incidents';
import type { DeliveryView } from './screens/operations';

/** The alerts an incident page lists; the rest are a link to the deliveries screen filtered by the incident. */
const DELIVERIES_SHOWN = 20;
/** Possible duplicates read one by one to show what they are; a longer list shows the others by id. */
const DUPLICATES_READ = 10;

/** A possible duplicate the API does not find is listed by its id alone; any other failure fails the page. */
const notFound = (error: unknown): undefined => {
  if (error instanceof HttpException && error.getStatus() === 404) return undefined;
  throw error;
};

/** The refusals of the API that are about the form (a 400 with why, a 409 with the incident's state). */
const REFUSED_FORM = [400, 409];
/** The read model an incident's page shows, settled after each of its actions. */
const SETTLED = ['incidents'];

/**
 * An incident in the console (docs/console.md): its verification, sources, open conflicts, possible duplicates and
 * alerts, and the forms that resolve a conflict and merge it into another incident, each through its admin API
 * route (AdminApi), as the confirm and retract forms of ConsoleController. A refusal of the API about the form
 * shows the page again with the API's problem and its status; a wrong incident id is the API's 404, as a page.
 */
@ApiExcludeController()
@Controller('admin')
@UseGuards(AdminSessionGuard)
@UseFilters(SignInRedirectFilter)
export class ConsoleIncidentsController {
  constructor(
    private readonly api: AdminApi,
    private readonly pages: ConsolePages,
  ) {}

  @Get('incidents/:id')
  @RouteConfig(PAGE)
  async incident(@Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    return this.show(request, reply, id);
  }

  /** `choice`: one of the conflict's values, or "separate" (the reports were two events); an optional note. */
  @Post('incidents/:id/resolve')
  @RouteConfig(FORM)
  async resolve(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return orRefusal(
      async () => {
        const answer = await this.api.post<{ separatedAs?: string }>(
          request,
          `/v1/admin/incidents/${segment(id)}/resolve`,
          resolutionFromForm(form),
        );
        if (!answer.separatedAs) {
          return this.pages.done(request, reply, `/admin/incidents/${id}`, 'resolved', SETTLED, answer);
        }
        const shown = await this.pages.settle(request, SETTLED, answer);
        const next = `${afterAction(pageContext(request), `/admin/incidents/${id}`, 'separated', !shown)}&separatedAs=${answer.separatedAs}`;
        return seeOther(reply, next);
      },
      REFUSED_FORM,
      (refusal) => this.show(request, reply, id, refusal),
    );
  }

  /** Merges this incident into `into` (an id, typed or one of its possible duplicates); shows the one it joined. */
  @Post('incidents/:id/merge')
  @RouteConfig(FORM)
  async merge(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const into = text(form.into) ?? '';
    const note = text(form.note);
    return orRefusal(
      async () => {
        const answer = await this.api.post<{ mergedInto: string }>(
          request,
          `/v1/admin/incidents/${segment(id)}/merge`,
          { into, ...(note ? { note } : {}) },
        );
        return this.pages.done(
          request,
          reply,
          `/admin/incidents/${answer.mergedInto}`,
          'incidentMerged',
          SETTLED,
          answer,
        );
      },
      REFUSED_FORM,
      (refusal) => this.show(request, reply, id, refusal),
    );
  }

  /** The page, with what the API refused under the API's status if an action was refused. */
  private async show(request: FastifyRequest, reply: Reply, id: string, refusal?: Refusal) {
    // One call after the other: a page holds one database connection at a time.
    const incident = await this.api.get<IncidentView>(request, `/v1/admin/incidents/${segment(id)}`);
    const deliveries = await this.api.get<ApiPage<DeliveryView>>(request, '/v1/admin/deliveries', {
      incidentId: incident.id,
      limit: DELIVERIES_SHOWN,
    });
    const duplicates: DuplicateView[] = [];
    for (const [index, duplicate] of incident.possibleDuplicates.entries()) {
      duplicates.push({
        id: duplicate,
        incident:
          index < DUPLICATES_READ
            ? await this.api.get<IncidentView>(request, `/v1/admin/incidents/${segment(duplicate)}`).catch(notFound)
            : undefined,
      });
    }
    const here = `/admin/incidents/${incident.id}`;
    return sendPage(
      reply,
      incidentPage(this.pages.context(request, refusal ? here : undefined), incident, {
        deliveries,
        duplicates,
        refusal,
      }),
      refusal?.status ?? 200,
    );
  }
}
