import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { sendPage } from '../foundation';
import { AdminApi, type ApiPage } from './admin-api';
import { FORM, one, PAGE, segment, text, type Form, type Reply } from './console-forms';
import { AdminSessionGuard, SignInRedirectFilter } from './admin-session.guard';
import { ConsolePages, orRefusal, refusalOf } from './console-action';
import type { Refusal } from './screens/console-page';
import { identitySections, mergePage, type MergeChoice, type MergeForm, type SimilarView } from './screens/identity';
import { reviewPage, type ReviewItem } from './screens/review';
import { subjectPage, subjectsPage, type SubjectKind, type SubjectView } from './screens/subjects';

/** How many similar names a page lists (the strongest first); a person has a handful at most. */
const SIMILAR_SHOWN = 50;
/** How many a search on the merge page offers. */
const SEARCH_SHOWN = 20;

/** The read models a page shows after a change of who is who: the merge forest, the subject's own, its incidents. */
const IDENTITY_PROJECTIONS = (kind: SubjectKind) => ['subject-merges', kind, 'incidents'];
/** Where a dismissal is read back: the similar pairs' projection, and the incidents' for the other kinds. */
const REVIEW_PROJECTIONS = ['similar-names', 'incidents'];

/** After "not the same" on a person's or organisation's page, back to it; nowhere else (no open redirect). */
const BACK = /^\/admin\/(persons|organizations)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The API's refusals an admin can correct (a field, an id, a merge that conflicts), shown on the page that asked. */
const REFUSED = [400, 404, 409];

/**
 * The console's persons, organisations and review list (docs/console.md): similar names, other names, merges
 * and unmerges, and dismissing what is not the same. As every console screen, it reads and acts only through
 * the admin API (AdminApi): no statement here touches a table. Without a live session every route redirects to
 * the sign-in form; every POST carries the session's CSRF token (AdminSessionGuard).
 */
@ApiExcludeController()
@Controller('admin')
@UseGuards(AdminSessionGuard)
@UseFilters(SignInRedirectFilter)
export class ConsoleIdentityController {
  constructor(
    private readonly api: AdminApi,
    private readonly pages: ConsolePages,
  ) {}

  // Persons and organisations

  @Get(':kind(persons|organizations)')
  @RouteConfig(PAGE)
  async subjects(
    @Param('kind') kind: SubjectKind,
    @Query() query: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const q = text(query.q);
    const page = await this.api.get<ApiPage<SubjectView>>(request, `/v1/admin/${kind}`, {
      q,
      cursor: one(query.cursor),
    });
    return sendPage(reply, subjectsPage(this.pages.context(request), kind, q, page));
  }

  @Get(':kind(persons|organizations)/:id')
  @RouteConfig(PAGE)
  async subject(
    @Param('kind') kind: SubjectKind,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return this.showSubject(request, reply, kind, id);
  }

  /** `id` as the API gives it (a merged one's survivor), and the names similar to it, the strongest first. */
  private async subjectAndSimilar(request: FastifyRequest, kind: SubjectKind, id: string) {
    const subject = await this.api.get<SubjectView>(request, `/v1/admin/${kind}/${segment(id)}`);
    const similar = await this.api.get<ApiPage<SimilarView>>(request, `/v1/admin/${kind}/${subject.id}/similar`, {
      limit: SIMILAR_SHOWN,
    });
    return { subject, similar };
  }

  /** The page of `id` (a merged one's shows its survivor), with the refusal of an action on it if there was one. */
  private async showSubject(
    request: FastifyRequest,
    reply: Reply,
    kind: SubjectKind,
    id: string,
    refusal?: Refusal,
  ): Promise<string> {
    const { subject, similar } = await this.subjectAndSimilar(request, kind, id);
    // A GET shows itself again (its ?done= notice too); a refused POST shows the page of the subject.
    const context = this.pages.context(request, refusal ? `/admin/${kind}/${segment(id)}` : undefined);
    const identity = identitySections(context, kind, subject, { requestedId: id, similar: similar.items, refusal });
    return sendPage(reply, subjectPage(context, kind, subject, identity), refusal?.status ?? 200);
  }

  @Post(':kind(persons|organizations)/:id/aliases')
  @RouteConfig(FORM)
  async addAlias(
    @Param('kind') kind: SubjectKind,
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return orRefusal(
      async () => {
        const answer = await this.api.post<{ added: boolean }>(request, `/v1/admin/${kind}/${segment(id)}/aliases`, {
          name: one(form.name) ?? '',
        });
        const notice = answer.added ? 'aliasAdded' : 'aliasKnown';
        return this.pages.done(request, reply, `/admin/${kind}/${id}`, notice, [kind], answer);
      },
      REFUSED,
      (refusal) => this.showSubject(request, reply, kind, id, refusal),
    );
  }

  @Get(':kind(persons|organizations)/:id/merge')
  @RouteConfig(PAGE)
  async mergeForm(
    @Param('kind') kind: SubjectKind,
    @Param('id') id: string,
    @Query() query: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    return this.showMerge(request, reply, kind, id, { q: text(query.q), into: text(query.into) });
  }

  /** The merge form: the similar ones, then what a search found, as choices; a refusal above it. */
  private async showMerge(
    request: FastifyRequest,
    reply: Reply,
    kind: SubjectKind,
    id: string,
    form: MergeForm,
    refused?: Refusal,
  ): Promise<string> {
    let refusal = refused;
    const { subject, similar } = await this.subjectAndSimilar(request, kind, id);
    let found: SubjectView[] = [];
    if (form.q) {
      try {
        found = (
          await this.api.get<ApiPage<SubjectView>>(request, `/v1/admin/${kind}`, { q: form.q, limit: SEARCH_SHOWN })
        ).items;
      } catch (error) {
        refusal ??= refusalOf(error, REFUSED);
        if (!refusal) throw error;
      }
    }
    // Not itself, nor one already merged into it, nor one offered twice.
    const taken = new Set([subject.id, ...(subject.mergedFrom ?? [])]);
    const choices: MergeChoice[] = [];
    for (const choice of [
      ...similar.items,
      ...found.map(({ id: foundId, name, aliases }) => ({ id: foundId, name, aliases })),
    ]) {
      if (taken.has(choice.id)) continue;
      taken.add(choice.id);
      choices.push(choice);
    }
    // An id asked for that is no choice (a link from elsewhere) is put in the id field.
    const intoId = form.intoId ?? (form.into && !choices.some((c) => c.id === form.into) ? form.into : undefined);
    const context = this.pages.context(request, refused ? `/admin/${kind}/${segment(id)}/merge` : undefined);
    return sendPage(
      reply,
      mergePage(context, kind, subject, choices, { ...form, intoId }, refusal),
      refusal?.status ?? 200,
    );
  }

  /** The survivor is the id typed, else the one chosen; the API judges both (400, 404, 409 shown on the form). */
  @Post(':kind(persons|organizations)/:id/merge')
  @RouteConfig(FORM)
  async merge(
    @Param('kind') kind: SubjectKind,
    @Param('id') id: string,
    @Body() body: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const form: MergeForm = {
      q: text(body.q),
      into: text(body.into),
      intoId: text(body.intoId),
      reason: one(body.reason),
    };
    return orRefusal(
      async () => {
        const merged = await this.api.post<{ into: string }>(request, `/v1/admin/${kind}/${segment(id)}/merge`, {
          into: form.intoId ?? form.into ?? '',
          reason: form.reason ?? '',
        });
        const path = `/admin/${kind}/${merged.into}`;
        return this.pages.done(request, reply, path, 'merged', IDENTITY_PROJECTIONS(kind), merged);
      },
      REFUSED,
      (refusal) => this.showMerge(request, reply, kind, id, form, refusal),
    );
  }

  /** Undoes the merge of `id`; its own page then shows it on its own again. A refusal is an error page. */
  @Post(':kind(persons|organizations)/:id/unmerge')
  @RouteConfig(FORM)
  async unmerge(
    @Param('kind') kind: SubjectKind,
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const reason = text(form.reason);
    const answer = await this.api.post(request, `/v1/admin/${kind}/${segment(id)}/unmerge`, reason ? { reason } : {});
    return this.pages.done(request, reply, `/admin/${kind}/${id}`, 'unmerged', IDENTITY_PROJECTIONS(kind), answer);
  }

  // The review list

  @Get('review')
  @RouteConfig(PAGE)
  async review(@Query() query: Form, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: Reply) {
    const page = await this.api.get<ApiPage<ReviewItem>>(request, '/v1/admin/review', {
      cursor: one(query.cursor),
      limit: text(query.limit),
    });
    return sendPage(reply, reviewPage(this.pages.context(request), page));
  }

  /** "Not the same": the item leaves the list for good; back to the review list, or to the page it was said on. */
  @Post('review/:id/dismiss')
  @RouteConfig(FORM)
  async dismiss(
    @Param('id') id: string,
    @Body() form: Form,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const answer = await this.api.post(request, `/v1/admin/review/${segment(id)}/dismiss`);
    const back = one(form.back);
    return this.pages.done(
      request,
      reply,
      back && BACK.test(back) ? back : '/admin/review',
      'dismissed',
      REVIEW_PROJECTIONS,
      answer,
    );
  }
}
