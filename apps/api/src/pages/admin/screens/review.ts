import { attributes, html, type Html } from '../../foundation';
import {
  consolePage,
  dateWords,
  doneNotice,
  momentWords,
  nextLink,
  postForm,
  table,
  to,
  type ConsoleContext,
} from './console-page';
import { reasonWords, wordsFor } from './identity';

/**
 * An item of GET /v1/admin/review. Only `id` and `kind` are common to every kind; the console knows similar
 * names, and shows any other kind generically (its words if the catalogues have them, links to its incidents),
 * so a kind the API adds later is listed, and can be dismissed, without a change here.
 */
export interface ReviewItem {
  id: string;
  kind: string;
  [field: string]: unknown;
}

interface Side {
  id: string;
  name: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An incident an item names: its id, and its type and date when the item gives them. */
export interface ItemIncident {
  id: string;
  type?: string;
  occurredOn?: string;
}

/** Every incident an item carries, in fields that name incidents (incidentId, incidents, possibleDuplicates …). */
export function incidentsOf(item: ReviewItem): ItemIncident[] {
  const found: ItemIncident[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      if (UUID.test(value) && !found.some((i) => i.id === value)) found.push({ id: value });
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      const { id, type, occurredOn } = value as Record<string, unknown>;
      if (typeof id !== 'string' || !UUID.test(id) || found.some((i) => i.id === id)) return;
      found.push({
        id,
        ...(typeof type === 'string' ? { type } : {}),
        ...(typeof occurredOn === 'string' ? { occurredOn } : {}),
      });
    }
  };
  for (const [field, value] of Object.entries(item)) if (/incident|duplicate/i.test(field)) collect(value);
  return found;
}

const sinceOf = (item: ReviewItem): string | undefined =>
  [item.since, item.recordedAt, item.at].find((v): v is string => typeof v === 'string');

/** An item that says how it is acted on (`links`) and gives no dismissal is settled elsewhere (a conflict). */
const dismissable = (item: ReviewItem): boolean =>
  !item.links || typeof item.links !== 'object' || 'dismiss' in (item.links as object);

/** The item in a line: a similar-names pair with links to both and why; another kind, its words and incidents. */
export function reviewSummary(context: ConsoleContext, item: ReviewItem): Html {
  const { t } = context;
  if (item.kind === 'similar_names' && Array.isArray(item.subjects)) {
    const kind = item.subject === 'organization' ? 'organizations' : 'persons';
    const [a, b] = item.subjects as Side[];
    const link = (side: Side) =>
      html`<a href="${to(context, `/admin/${kind}/${side.id}`)}">${side.name ?? side.id}</a>`;
    return html`${link(a)} ${t('admin.review.and')} ${link(b)} <span class="muted">(${reasonWords(context, String(item.reason ?? ''))})</span>`;
  }
  const incidents = incidentsOf(item).map((incident, i) => {
    const type = incident.type && wordsFor(context, `admin.type.${incident.type}`);
    const label = type
      ? `${type}${incident.occurredOn ? ` · ${dateWords(context, incident.occurredOn)}` : ''}`
      : t('admin.review.incident', { n: i + 1 });
    return html`<a href="${to(context, `/admin/incidents/${incident.id}`)}">${label}</a>`;
  });
  const values = Array.isArray(item.values)
    ? (item.values as unknown[]).map((v) => String((v as { value?: unknown })?.value ?? v)).join(' / ')
    : '';
  // A field of a conflict in the catalogues' words (a sentence), else as the API names it.
  const fieldWords = typeof item.field === 'string' && wordsFor(context, `admin.conflicts.field.${item.field}`);
  const field =
    typeof item.field !== 'string'
      ? ''
      : fieldWords
        ? html` <span class="muted">— ${fieldWords} <bdi>${values}</bdi></span>`
        : html` <span class="muted">(<bdi>${item.field}</bdi>${values ? html`: <bdi>${values}</bdi>` : ''})</span>`;
  return html`${incidents.map((link, i) => html`${i ? ', ' : ''}${link}`)}${field}`;
}

export const reviewKindWords = (context: ConsoleContext, kind: string): string =>
  wordsFor(context, `admin.reviewKind.${kind}`) ?? context.t('admin.review.otherKind');

/** What waits for a person to decide, oldest first, a page at a time; each item can be dismissed. */
export function reviewPage(context: ConsoleContext, page: { items: ReviewItem[]; nextCursor: string | null }): Html {
  const { t } = context;
  const rows = page.items.map(
    (item, i) =>
      html`<tr data-id="${item.id}" data-kind="${item.kind}"><td>${momentWords(context, sinceOf(item))}</td><td>${reviewKindWords(context, item.kind)}</td>
<td>${reviewSummary(context, item)}</td>
<td>${
        dismissable(item)
          ? postForm(
              context,
              `/admin/review/${item.id}/dismiss`,
              html`<button type="submit" class="secondary"${attributes({ 'data-dismiss': item.id })}>${t('admin.review.dismiss')}</button>`,
              t('admin.review.dismissItem', { n: i + 1 }),
            )
          : html`<span class="muted">${t('admin.review.settleOnIncident')}</span>`
      }</td></tr>`,
  );
  return consolePage(
    context,
    'review',
    t('admin.review.title'),
    html`${doneNotice(context)}
<p>${t('admin.review.body')}</p>
${table(
  t('admin.review.title'),
  [t('admin.review.since'), t('admin.review.kind'), t('admin.review.what'), t('admin.actions')],
  rows,
  t('admin.review.none'),
)}
${nextLink(context, page.nextCursor)}`,
  );
}
