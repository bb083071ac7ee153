import { html, type Html } from '../../foundation';
import type { QueueDepth } from '../../../admin/queues.controller';
import { buttonForm, consolePage, doneNotice, number, table, to, type ConsoleContext } from './console-page';
import { reviewKindWords, reviewSummary, type ReviewItem } from './review';

export interface ProjectionStatus {
  name: string;
  position: number;
  lag: number;
  oldestUnprocessedAgeMs: number | null;
  status: string;
  lastError: string | null;
}

export interface DashboardData {
  headPosition: number;
  projections: ProjectionStatus[];
  /** Undefined while Redis is away: the dashboard says so instead of failing. */
  queues?: QueueDepth[];
  dead: { count: number; more: boolean };
  /** The first page of what waits in review (oldest first); `more` when there is a next page. */
  review: { items: ReviewItem[]; more: boolean };
}

/** How many of the waiting review items the dashboard names; the count links to all of them. */
const REVIEW_SHOWN = 3;

export function dashboardPage(context: ConsoleContext, data: DashboardData): Html {
  const { t } = context;
  const projections = data.projections.map(
    (
      p,
    ) => html`<tr><th scope="row">${p.name}</th><td>${number(context, p.position)}</td><td>${number(context, p.lag)}</td>
<td>${p.oldestUnprocessedAgeMs === null ? '' : t('admin.dashboard.seconds', { n: Math.round(p.oldestUnprocessedAgeMs / 1000) })}</td>
<td class="status-${p.status}">${t(`admin.projectionStatus.${p.status}` as never)}${p.lastError ? html`<br><span class="muted">${p.lastError}</span>` : ''}</td>
<td>${buttonForm(context, `/admin/projections/${encodeURIComponent(p.name)}/rebuild`, t('admin.dashboard.rebuild', { name: p.name }))}
${p.status === 'failed' ? buttonForm(context, `/admin/projections/${encodeURIComponent(p.name)}/resume`, t('admin.dashboard.resume', { name: p.name }), 'primary') : ''}</td></tr>`,
  );
  const queues = data.queues
    ? table(
        t('admin.dashboard.queues'),
        [
          t('admin.dashboard.queue'),
          t('admin.queue.wait'),
          t('admin.queue.prioritized'),
          t('admin.queue.delayed'),
          t('admin.queue.active'),
        ],
        data.queues.map(
          (q) =>
            html`<tr><th scope="row">${q.channel}</th><td>${number(context, q.wait)}</td><td>${number(context, q.prioritized)}</td><td>${number(context, q.delayed)}</td><td>${number(context, q.active)}</td></tr>`,
        ),
        '',
      )
    : html`<h2>${t('admin.dashboard.queues')}</h2><p class="problem">${t('admin.dashboard.queuesUnavailable')}</p>`;
  const dead = data.dead.count
    ? t('admin.dashboard.deadCount', { n: data.dead.count }) + (data.dead.more ? '+' : '')
    : t('admin.dashboard.noDead');
  const review = data.review.items.length
    ? t('admin.dashboard.reviewCount', { n: data.review.items.length }) + (data.review.more ? '+' : '')
    : t('admin.dashboard.noReview');
  const firstInReview = data.review.items.length
    ? html`<ul class="review-first">${data.review.items
        .slice(0, REVIEW_SHOWN)
        .map((item) => html`<li>${reviewKindWords(context, item.kind)}: ${reviewSummary(context, item)}</li>`)}</ul>`
    : '';
  return consolePage(
    context,
    'dashboard',
    t('admin.dashboard.title'),
    html`${doneNotice(context)}
<dl class="facts">
<dt>${t('admin.dashboard.events')}</dt><dd><a href="${to(context, '/admin/events')}">${number(context, data.headPosition)}</a></dd>
<dt>${t('admin.dashboard.dead')}</dt><dd><a href="${to(context, '/admin/deliveries?status=dead')}">${dead}</a></dd>
<dt>${t('admin.dashboard.review')}</dt><dd><a href="${to(context, '/admin/review')}" id="review-count">${review}</a>${firstInReview}</dd>
</dl>
${table(
  t('admin.dashboard.projections'),
  [
    t('admin.dashboard.name'),
    t('admin.dashboard.position'),
    t('admin.dashboard.lag'),
    t('admin.dashboard.oldest'),
    t('admin.dashboard.status'),
    t('admin.actions'),
  ],
  projections,
  '',
)}
${queues}`,
  );
}
