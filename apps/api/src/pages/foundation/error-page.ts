import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey } from '@vigil/i18n';
import type { Problem } from '@vigil/platform';
import { html } from './html';
import { messagePage } from './layout';
import { pageContext, sendPage } from './page-context';

/** Routes that answer people (`@RouteConfig({ page: true })`) answer their errors as pages, not problem+json. */
export interface PageRouteConfig {
  /** true: every answer is a page; 'forms': a form post is answered with a page, JSON with problem+json. */
  page?: boolean | 'forms';
}

export const isFormPost = (request: FastifyRequest): boolean =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

export function isPageRoute(request: FastifyRequest): boolean {
  const page = (request.routeOptions?.config as PageRouteConfig | undefined)?.page;
  return page === true || (page === 'forms' && isFormPost(request));
}

const WORDS: Record<number, [MessageKey, MessageKey | undefined]> = {
  403: ['error.csrf.title', 'error.csrf.body'],
  404: ['error.notFound.title', 'error.notFound.body'],
  429: ['error.rateLimited.title', 'error.rateLimited.body'],
  503: ['error.unavailable.title', 'error.unavailable.body'],
};

/**
 * The error of a page route as a page in the visitor's language, with the same status the API would give.
 * A 400 lists what the form got wrong; a 500 says only the request id (the filter has logged it).
 */
export function sendErrorPage(request: FastifyRequest, reply: FastifyReply, problem: Problem): void {
  const context = pageContext(request, '/');
  const { t } = context;
  const [titleKey, bodyKey] = WORDS[problem.status] ?? ['error.invalid.title', undefined];
  const errors = (problem.errors as { path: string; message: string }[] | undefined) ?? [];
  const paragraphs = bodyKey
    ? [t(bodyKey)]
    : [
        problem.status >= 500 ? t('error.unavailable.body') : (problem.detail ?? ''),
        ...(errors.length
          ? [
              html`<ul>
                ${errors.map((e) => html`<li>${e.path}: ${e.message}</li>`)}
              </ul>`,
            ]
          : []),
      ];
  void reply.send(sendPage(reply, messagePage(context, t(titleKey), paragraphs, 'problem'), problem.status));
}
