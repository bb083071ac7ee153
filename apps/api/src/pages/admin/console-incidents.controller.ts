import { Body, Controller, Get, HttpException, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from '../../http/request-validation.error';
import { pageContext, sendPage } from '../foundation';
import { AdminApi, type ApiPage } from './admin-api';
import { FORM, PAGE, segment, text, type Form, type Reply } from './console-forms';
import { AdminSessionGuard, ConsoleCsrf, SignInRedirectFilter } from './admin-session.guard';
import { ReadYourWrites } from './read-your-writes';
import { seeOther } from './see-other';
import { afterAction, type ConsoleContext } from './screens/console-page';
import { resolutionFromForm, type DuplicateView, type Refusal } from './screens/incident-verification';
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
const REFUSED_FORM = new Set([400, 409]);

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
    private readonly csrf: ConsoleCsrf,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  private context(request: FastifyRequest, here?: string): ConsoleContext {
    return { ...pageContext(request, here), csrf: this.csrf.tokenOf(request) };
  }

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
    let answer: { separatedAs?: string };
    try {
      answer = await this.api.post(request, `/v1/admin/incidents/${segment(id)}/resolve`, resolutionFromForm(form));
    } catch (error) {
      return this.refused(request, reply, id, error);
    }
    await this.readYourWrites.settle(request, 'incidents');
    if (!answer.separatedAs)
      return seeOther(reply, afterAction(pageContext(request), `/admin/incidents/${id}`, 'resolved'));
    const next = `${afterAction(pageContext(request), `/admin/incidents/${id}`, 'separated')}&separatedAs=${answer.separatedAs}`;
    return seeOther(reply, next);
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
    let answer: { mergedInto: string };
    try {
      answer = await this.api.post(request, `/v1/admin/incidents/${segment(id)}/merge`, {
        into,
        ...(note ? { note } : {}),
      });
    } catch (error) {
      return this.refused(request, reply, id, error);
    }
    await this.readYourWrites.settle(request, 'incidents');
    return seeOther(
      reply,
      afterAction(pageContext(request), `/admin/incidents/${answer.mergedInto}`, 'incidentMerged'),
    );
  }

  /** The page again with what the API refused, under the API's status; any other error is the error page. */
  private refused(request: FastifyRequest, reply: Reply, id: string, error: unknown): Promise<string> {
    if (error instanceof RequestValidationError) {
      return this.show(request, reply, id, { detail: '', errors: error.errors }, 400);
    }
    if (error instanceof HttpException && REFUSED_FORM.has(error.getStatus())) {
      return this.show(request, reply, id, { detail: error.message, errors: [] }, error.getStatus());
    }
    throw error;
  }

  private async show(request: FastifyRequest, reply: Reply, id: string, refusal?: Refusal, status = 200) {
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
      incidentPage(this.context(request, refusal ? here : undefined), incident, { deliveries, duplicates, refusal }),
      status,
    );
  }
}
