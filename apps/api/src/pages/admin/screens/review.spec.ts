import { translatorFor } from '@vigil/i18n';
import type { ConsoleContext } from './console-page';
import { reviewPage, type ReviewItem } from './review';

const context = (language: 'en' | 'fa'): ConsoleContext => ({
  language,
  t: translatorFor(language),
  here: '/admin/review',
  csrf: 'token',
});

const ID = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

/** Review items by kind: similar names as a pair, any other kind generically, so new kinds show unchanged. */
describe('the review screen', () => {
  const items: ReviewItem[] = [
    {
      id: ID(1),
      kind: 'similar_names',
      subject: 'organization',
      subjects: [
        { id: ID(2), name: 'Imam Ali Society' },
        { id: ID(3), name: '<script>alert(1)</script>' },
      ],
      reason: 'one_letter_apart',
      since: '2026-12-01T03:00:00Z',
    },
    {
      id: ID(4),
      kind: 'possible_duplicate',
      incidents: [
        { id: ID(5), type: 'arrest', occurredOn: '2020-09-06' },
        { id: ID(6), type: 'arrest', occurredOn: '2020-09-05' },
      ],
      since: '2026-12-01T03:01:00Z',
      links: { dismiss: `/v1/admin/review/${ID(4)}/dismiss`, merge: `/v1/admin/incidents/${ID(5)}/merge` },
    },
    {
      id: ID(7),
      kind: 'conflict',
      incidents: [{ id: ID(8), type: 'release', occurredOn: '2020-09-07' }],
      field: 'occurredOn',
      values: [{ value: '2020-09-07' }, { value: '2020-09-08' }],
      links: { resolve: `/v1/admin/incidents/${ID(8)}/resolve` },
    },
    { id: ID(9), kind: 'a_kind_from_later', incidentId: ID(0) },
  ];
  const rendered = String(reviewPage(context('en'), { items, nextCursor: 'next' }));
  const row = (id: string) => new RegExp(`<tr data-id="${id}"[\\s\\S]*?</tr>`).exec(rendered)?.[0] ?? '';

  it('shows a similar-names pair with links to both, why, and Dismiss; names as text', () => {
    expect(row(ID(1))).toContain(`href="/admin/organizations/${ID(2)}?lang=en"`);
    expect(row(ID(1))).toContain(`href="/admin/organizations/${ID(3)}?lang=en"`);
    expect(row(ID(1))).toContain('one letter apart in a long word');
    expect(row(ID(1))).toContain('&lt;script&gt;');
    expect(row(ID(1))).toContain(`action="/admin/review/${ID(1)}/dismiss?lang=en"`);
  });

  it('shows other kinds with links to their incidents, by type and date when given', () => {
    expect(row(ID(4))).toContain('Possible duplicate incidents');
    expect(row(ID(4))).toContain(`<a href="/admin/incidents/${ID(5)}?lang=en">Arrest · 6 September 2020`);
    expect(row(ID(4))).toContain(`/admin/review/${ID(4)}/dismiss`);
    expect(row(ID(7))).toContain(`<a href="/admin/incidents/${ID(8)}?lang=en">Release`);
    expect(row(ID(7))).toContain('Sources disagree on when it happened. <bdi>2020-09-07 / 2020-09-08</bdi>');
  });

  it('offers no Dismiss for an item settled elsewhere (its links give no dismissal)', () => {
    expect(row(ID(7))).not.toContain('/dismiss');
    expect(row(ID(7))).toContain('Settled on the incident’s page');
  });

  it('lists a kind it has no words for as one to check, with its incident and Dismiss', () => {
    expect(row(ID(9))).toContain('To check');
    expect(row(ID(9))).toContain(`href="/admin/incidents/${ID(0)}?lang=en">incident 1</a>`);
    expect(row(ID(9))).toContain(`/admin/review/${ID(9)}/dismiss`);
  });

  it('pages on with the cursor, and speaks Persian', () => {
    expect(rendered).toContain('href="/admin/review?cursor=next&amp;lang=en" rel="next"');
    const persian = String(reviewPage(context('fa'), { items, nextCursor: null }));
    expect(persian).toContain('رویدادهایی که شاید یکی‌اند');
    expect(persian).toContain('برای بررسی');
    expect(persian).not.toContain('rel="next"');
  });
});
